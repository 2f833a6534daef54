import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';
import type { LoginRequest } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

@ApiSchema({ name: 'LoginRequest' })
export class LoginDto implements LoginRequest {
  @ApiProperty({ format: 'email', maxLength: 320, example: 'sysadmin@rythm.example' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'rythm-demo' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}
sameKeys<LoginDto, LoginRequest>(true);
