import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDateString, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { AUDIT_ACTIONS } from '../../shared/audit-actions.js';
import { AUDIT_OUTCOMES } from './audit-entry.dto.js';

const MAX_PAGE_SIZE = 500;

export class ListAuditQuery {
  @ApiPropertyOptional({ maxLength: 100, description: `One action: ${AUDIT_ACTIONS.join(', ')}`, example: 'import.create' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  /** Part of the actor's email. */
  @ApiPropertyOptional({ maxLength: 320, description: 'Part of the actor’s email (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  actor?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'System admins: one tenant’s entries. Org admins see only their own tenant’s (another answers 403)' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ enum: AUDIT_OUTCOMES })
  @IsOptional()
  @IsIn(AUDIT_OUTCOMES)
  outcome?: 'success' | 'failure' | 'denied';

  @ApiPropertyOptional({ description: 'Entries at or after this instant (ISO 8601 date or date-time)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ description: 'Entries before this instant (ISO 8601 date or date-time)' })
  @IsOptional()
  @IsDateString()
  to?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, default: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  pageSize?: number;
}
