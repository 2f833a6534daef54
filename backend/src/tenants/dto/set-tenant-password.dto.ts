import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { SetTenantPasswordRequest } from '../../shared/api-types.js';

export class SetTenantPasswordDto implements SetTenantPasswordRequest {
  @ApiProperty({ example: 'rythm-qa', minLength: 8, maxLength: 200, description: 'The one password every user of the tenant gets' })
  @IsString()
  @MinLength(8)
  @MaxLength(200)
  password: string;
}
