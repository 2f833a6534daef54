import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { visibleTenant } from '../auth/tenant-scope.js';
import type { TenantSummary } from '../shared/api-types.js';

@Injectable()
export class TenantsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Exportable tenants with their sizes; an org admin sees only their own. */
  async list(actor: Actor): Promise<TenantSummary[]> {
    const only = visibleTenant(actor);
    const rows: { id: string; name: string; slug: string; users: string; sessions: string; sets: string }[] = await this.dataSource.query(
      `SELECT t.id, t.name, t.slug,
              (SELECT count(*) FROM users u WHERE u.tenant_id = t.id) AS users,
              (SELECT count(*) FROM sessions s WHERE s.tenant_id = t.id) AS sessions,
              (SELECT count(*) FROM sets x WHERE x.tenant_id = t.id) AS sets
         FROM tenants t
        WHERE $1::uuid IS NULL OR t.id = $1::uuid
        ORDER BY t.name, t.id`,
      [only],
    );
    return rows.map((r) => ({ id: r.id, name: r.name, slug: r.slug, users: Number(r.users), sessions: Number(r.sessions), sets: Number(r.sets) }));
  }
}
