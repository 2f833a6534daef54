import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import { Tenant } from './tenant.entity.js';

export const USER_ROLES = ['athlete', 'coach', 'org_admin', 'system_admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Tenant-owned. System admins, and only they, have no tenant (platform operators); they travel
 * in full-scope bundles only.
 */
@Entity({ name: 'users' })
@Index('uq_users_tenant_email', ['tenantId', 'email'], { unique: true })
@Index('uq_users_platform_email', ['email'], { unique: true, where: '"tenant_id" IS NULL' })
@Check('ck_users_tenant_or_system_admin', `"tenant_id" IS NOT NULL OR "role" = 'system_admin'`)
@Check('ck_users_system_admin_no_tenant', `"role" <> 'system_admin' OR "tenant_id" IS NULL`)
@Check('ck_users_role', `"role" IN ('athlete', 'coach', 'org_admin', 'system_admin')`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @ManyToOne(() => Tenant, { nullable: true })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column({ type: 'text' })
  email: string;

  /** Null when the user came from a bundle exported without credentials: cannot sign in. */
  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ name: 'first_name', type: 'text' })
  firstName: string;

  @Column({ name: 'last_name', type: 'text' })
  lastName: string;

  @Column({ type: 'text' })
  role: UserRole;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt: Date;
}
