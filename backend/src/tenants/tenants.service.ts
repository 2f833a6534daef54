import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { resolveTenantAccess, visibleTenant } from '../auth/tenant-scope.js';
import { notFound } from '../common/app-exception.js';
import type { TenantSummary } from '../shared/api-types.js';

@Injectable()
export class TenantsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Exportable tenants with their sizes; an org admin sees only their own. */
  list(actor: Actor): Promise<TenantSummary[]> {
    return this.summaries(visibleTenant(actor));
  }

  /** One tenant (an org admin: their own), without counting every other tenant's rows. */
  async get(actor: Actor, tenantId: string): Promise<TenantSummary> {
    const [found] = await this.summaries(resolveTenantAccess(actor, tenantId));
    if (!found) throw notFound('Tenant', tenantId);
    return found;
  }

  private async summaries(only: string | null): Promise<TenantSummary[]> {
    const rows: {
      id: string;
      name: string;
      slug: string;
      users: string;
      sessions: string;
      sets: string;
      scratch: boolean;
      expires_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT t.id, t.name, t.slug,
              (SELECT count(*) FROM users u WHERE u.tenant_id = t.id) AS users,
              (SELECT count(*) FROM sessions s WHERE s.tenant_id = t.id) AS sessions,
              (SELECT count(*) FROM sets x WHERE x.tenant_id = t.id) AS sets,
              st.tenant_id IS NOT NULL AS scratch, st.expires_at
         FROM tenants t
         LEFT JOIN scratch_tenants st ON st.tenant_id = t.id
        WHERE $1::uuid IS NULL OR t.id = $1::uuid
        ORDER BY t.name, t.id`,
      [only],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      slug: r.slug,
      users: Number(r.users),
      sessions: Number(r.sessions),
      sets: Number(r.sets),
      scratch: r.scratch,
      expiresAt: r.expires_at?.toISOString() ?? null,
    }));
  }
}
