import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type pg from 'pg';
import { DataSource } from 'typeorm';

/**
 * The scratch mark (scratch-tenant.entity.ts). It is set only when a system admin's clone makes
 * the tenant, in the import's own transaction, so no existing tenant can ever become scratch.
 */
@Injectable()
export class ScratchTenantsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Inside the transaction that creates the tenant (the import's `onApplied` hook). */
  async mark(client: pg.ClientBase, tenantId: string, options: { ttlSeconds: number | null; createdBy: string | null; jobId: string | null }): Promise<void> {
    await client.query(
      `INSERT INTO scratch_tenants (tenant_id, expires_at, created_by, job_id)
       VALUES ($1, CASE WHEN $2::int IS NULL THEN NULL ELSE now() + make_interval(secs => $2::int) END, $3, $4)`,
      [tenantId, options.ttlSeconds, options.createdBy, options.jobId],
    );
  }

  async isScratch(tenantId: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM scratch_tenants WHERE tenant_id = $1`, [tenantId]);
    return rows.length > 0;
  }

  /** Scratch tenants whose time is up, oldest first. */
  async expired(limit: number): Promise<string[]> {
    const rows: { tenant_id: string }[] = await this.dataSource.query(
      `SELECT tenant_id FROM scratch_tenants WHERE expires_at <= now() ORDER BY expires_at, tenant_id LIMIT $1`,
      [limit],
    );
    return rows.map((r) => r.tenant_id);
  }
}
