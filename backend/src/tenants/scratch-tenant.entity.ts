import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Tenant } from '../domain/tenant.entity.js';

/**
 * A tenant declared disposable when it was made (a QA clone): it is deleted without a backup, its
 * imports take none, and the clean-up job deletes it once `expires_at` has passed. A platform
 * table, not RYTHM data: no bundle carries it, so no import can make a real tenant scratch.
 */
@Entity({ name: 'scratch_tenants' })
export class ScratchTenant {
  @PrimaryColumn({ name: 'tenant_id', type: 'uuid' })
  tenantId: string;

  @ManyToOne(() => Tenant, { nullable: false, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  /** Null: scratch without a time-to-live (deleted only on request). */
  @Index('idx_scratch_tenants_expires')
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  /** The import job that made the tenant. */
  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
