import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { pageOf } from '../../common/dto/page.dto.js';
import { literals } from '../../common/literals.js';
import { SCOPES } from '../../import/dto/import-report.dto.js';
import type { BackupKind, BackupSchedule, BackupView, ExportScope } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

export const BACKUP_KINDS = literals<BackupKind>({ manual: true, 'pre-import': true, 'pre-restore': true, 'pre-delete': true, scheduled: true });

@ApiSchema({ name: 'BackupView', description: 'A backup: a gzipped SQL bundle in the backup directory and its row' })
export class BackupViewDto implements BackupView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: BACKUP_KINDS })
  kind: BackupKind;

  @ApiProperty({
    enum: ['bundle', 'change-set'],
    description: 'bundle: a full SQL bundle of the scope (restore it); change-set: the pre-image of one import (undo that import)',
  })
  content: 'bundle' | 'change-set';

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The job that wrote it (for a pre-import backup, the import)' })
  jobId: string | null;

  @ApiProperty({ enum: SCOPES, description: 'tenant or full (a global import backs up everything)' })
  scope: ExportScope;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  tenantId: string | null;

  @ApiProperty({ type: String, nullable: true })
  tenantSlug: string | null;

  @ApiProperty({ example: 'backup-northside-20260101T030000Z.sql.gz' })
  fileName: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  sizeBytes: number;

  @ApiProperty({ pattern: '^[0-9a-f]{64}$', description: 'Of the file as stored' })
  sha256: string;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer', minimum: 0 }, description: 'Rows per table', example: { tenants: 1, users: 12 } })
  rowCounts: Record<string, number>;

  @ApiProperty()
  schemaVersion: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  createdBy: string | null;

  @ApiProperty({ type: String, nullable: true })
  note: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}
sameKeys<BackupViewDto, BackupView>(true);

@ApiSchema({ name: 'BackupPage', description: 'One page of backups' })
export class BackupPageDto extends pageOf(BackupViewDto) {}

@ApiSchema({ name: 'BackupSchedule', description: 'The scheduled backup (BACKUP_CRON) and its retention' })
export class BackupScheduleDto implements BackupSchedule {
  @ApiProperty({ example: '0 3 * * *' })
  cron: string;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Automatic backups older than this are pruned; null: no age limit' })
  retentionDays: number | null;

  @ApiProperty({ type: 'integer', nullable: true, description: 'Automatic backups kept per kind; null: no count limit' })
  retentionCount: number | null;
}
sameKeys<BackupScheduleDto, BackupSchedule>(true);
