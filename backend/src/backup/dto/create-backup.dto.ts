import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import type { CreateBackupRequest } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

@ApiSchema({ name: 'CreateBackupRequest' })
export class CreateBackupDto implements CreateBackupRequest {
  @ApiProperty({ enum: ['tenant', 'full'] })
  @IsIn(['tenant', 'full'])
  scope: 'tenant' | 'full';

  /** Required for system admins with tenant scope; org admins default to their own tenant. */
  @ApiProperty({ required: false, format: 'uuid', description: 'Tenant scope: required for system admins; org admins default to their own tenant' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiProperty({ required: false, maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
sameKeys<CreateBackupDto, CreateBackupRequest>(true);
