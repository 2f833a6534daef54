import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { BackupKind, ExportScope } from '../shared/api-types.js';

/**
 * A gzip SQL file in BACKUP_DIR, restorable with psql even without the application: a bundle of a
 * scope, or one import's change set (docs/undo.md).
 */
@Entity({ name: 'backups' })
@Index('idx_backups_created', ['createdAt'])
@Check('ck_backups_content', `"content" IN ('bundle', 'change-set')`)
export class Backup {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: BackupKind;

  @Column({ type: 'text' })
  scope: ExportScope;

  /** A full bundle (restorable) or one import's change set (undoable). */
  @Column({ type: 'text', default: 'bundle' })
  content: 'bundle' | 'change-set';

  @Index()
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @Column({ name: 'file_name', type: 'text' })
  fileName: string;

  @Column({ name: 'size_bytes', type: 'bigint' })
  sizeBytes: string;

  @Column({ type: 'text' })
  sha256: string;

  @Column({ name: 'row_counts', type: 'jsonb', default: () => "'{}'" })
  rowCounts: Record<string, number>;

  @Column({ name: 'schema_version', type: 'text' })
  schemaVersion: string;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Index('idx_backups_job')
  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
