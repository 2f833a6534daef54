import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import type { LoginRequest } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';
import { SLUG_PATTERN, SLUG_RULE } from '../../shared/patterns.js';

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

  @ApiProperty({
    required: false,
    example: 'northside',
    description:
      'The organisation (tenant slug) of the account. Needed when the email has accounts in several organisations; without it, the email names the platform (system admin) account if there is one, else its one tenant account',
  })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: `tenant must be a tenant slug: ${SLUG_RULE}` })
  tenant?: string;
}
sameKeys<LoginDto, LoginRequest>(true);
