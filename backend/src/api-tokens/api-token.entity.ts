import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Tenant } from '../domain/tenant.entity.js';
import type { AdminRole } from '../shared/api-types.js';

/**
 * A named API token for CI (docs/security.md). Only the sha256 of the secret is kept: the secret
 * is shown once, when the token is made. A system_admin token has no tenant; an org_admin token
 * has exactly one, and goes with it when the tenant is deleted.
 */
@Entity({ name: 'api_tokens' })
@Check('ck_api_tokens_role', `"role" IN ('org_admin', 'system_admin')`)
@Check('ck_api_tokens_tenant', `("role" = 'system_admin') = ("tenant_id" IS NULL)`)
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** sha256 (hex) of the whole token, `rdt_` prefix included. */
  @Index('uq_api_tokens_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  /** The first characters of the token (`rdt_` and four more), so that a person can tell tokens apart. */
  @Column({ type: 'text' })
  hint: string;

  @Column({ type: 'text' })
  role: AdminRole;

  @Index()
  @Column({ name: 'tenant_id', type: 'uuid', nullable: true })
  tenantId: string | null;

  @ManyToOne(() => Tenant, { nullable: true, onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id' })
  tenant?: Relation<Tenant>;

  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt: Date;

  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true })
  lastUsedAt: Date | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;

  @Column({ name: 'revoked_by', type: 'uuid', nullable: true })
  revokedBy: string | null;
}
