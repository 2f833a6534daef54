import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import type { BackupKind } from '../../shared/api-types.js';
import { BACKUP_KINDS } from './backup-view.dto.js';

const MAX_PAGE_SIZE = 200;
const SORTS = ['createdAt', 'sizeBytes', 'kind'];
const ORDERS = ['asc', 'desc'];

export class ListBackupsQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'System admins: one tenant’s backups. Org admins see only their own tenant’s (another answers 403)' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ enum: BACKUP_KINDS })
  @IsOptional()
  @IsIn(BACKUP_KINDS)
  kind?: BackupKind;

  @ApiPropertyOptional({ description: 'Backups taken at or after this instant (ISO 8601 date or date-time)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ description: 'Backups taken before this instant (ISO 8601 date or date-time)' })
  @IsOptional()
  @IsDateString()
  to?: string;

  @ApiPropertyOptional({ enum: SORTS, default: 'createdAt' })
  @IsOptional()
  @IsIn(SORTS)
  sort?: 'createdAt' | 'sizeBytes' | 'kind';

  @ApiPropertyOptional({ enum: ORDERS, default: 'desc' })
  @IsOptional()
  @IsIn(ORDERS)
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 25 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;
}
