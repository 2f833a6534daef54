import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { JobProgress, JobStatus, JobType } from '../shared/api-types.js';

/** One export, import, backup or restore. pg-boss carries the work; this row carries its story. */
@Entity({ name: 'data_jobs' })
@Index('idx_data_jobs_created', ['createdAt'])
export class DataJob {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  type: JobType;

  @Index()
  @Column({ type: 'text', default: 'queued' })
  status: JobStatus;

  /** The tenant whose data the job reads or writes; null for global and full scope. */
  @Index()
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** JobParams[type] (job-types.ts); JobRepository hands rows out typed. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  params: object;

  @Column({ type: 'jsonb', nullable: true })
  progress: JobProgress | null;

  /** JobResults[type] once the job has finished. */
  @Column({ type: 'jsonb', nullable: true })
  result: object | null;

  @Column({ type: 'jsonb', nullable: true })
  error: { code: string; message: string } | null;

  /** Output (export) or input (import) file, relative to DATA_DIR; never taken from a request. */
  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName: string | null;

  /** Identifies the process running the job, so a restart can tell its own dead jobs. */
  @Column({ name: 'worker_id', type: 'text', nullable: true })
  workerId: string | null;

  @Column({ name: 'cancel_requested', type: 'boolean', default: false })
  cancelRequested: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt: Date | null;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;
}
