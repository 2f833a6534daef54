import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min } from 'class-validator';
import type { AdminRole, CreateApiTokenRequest } from '../../shared/api-types.js';
import { API_TOKEN_MAX_DAYS, API_TOKEN_NAME_PATTERN, API_TOKEN_NAME_RULE } from '../../shared/limits.js';

export class CreateApiTokenDto implements CreateApiTokenRequest {
  @ApiProperty({ example: 'ci-nightly', description: `What the token is for: ${API_TOKEN_NAME_RULE}` })
  @IsString()
  @Matches(API_TOKEN_NAME_PATTERN, { message: `name must be ${API_TOKEN_NAME_RULE}` })
  name: string;

  @ApiProperty({ enum: ['system_admin', 'org_admin'] })
  @IsIn(['system_admin', 'org_admin'])
  role: AdminRole;

  @ApiProperty({ required: false, description: 'The tenant of an org_admin token (required then); absent for a system_admin token' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiProperty({ required: false, minimum: 1, maximum: API_TOKEN_MAX_DAYS, default: 90 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(API_TOKEN_MAX_DAYS)
  expiresInDays?: number;
}
