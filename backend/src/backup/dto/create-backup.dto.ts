import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

export class CreateBackupDto {
  @ApiProperty({ enum: ['tenant', 'full'] })
  @IsIn(['tenant', 'full'])
  scope: 'tenant' | 'full';

  /** Required for system admins with tenant scope; org admins default to their own tenant. */
  @ApiProperty({ required: false })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiProperty({ required: false })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}
