import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { BackupKind, ExportScope } from '../shared/api-types.js';

/** A gzip SQL bundle in BACKUP_DIR; restorable with psql even without the application. */
@Entity({ name: 'backups' })
@Index('idx_backups_created', ['createdAt'])
export class Backup {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  kind: BackupKind;

  @Column({ type: 'text' })
  scope: ExportScope;

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

  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
