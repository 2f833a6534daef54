import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

export class LoginDto {
  @ApiProperty({ example: 'sysadmin@rythm.example' })
  @IsEmail()
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'rythm-admin' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  password: string;
}
