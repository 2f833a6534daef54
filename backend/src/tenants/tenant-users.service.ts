import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { hashPassword } from '../auth/password.js';
import { resolveTenantAccess } from '../auth/tenant-scope.js';
import { notFound } from '../common/app-exception.js';
import { pgPool } from '../common/pg-pool.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { Role, SetTenantPasswordResult, TenantUserView } from '../shared/api-types.js';
import { acquireImportLock } from '../transfer/import/tenant-lock.js';

/** The users of one tenant: listed for admins (never a credential), given one password by a system admin. */
@Injectable()
export class TenantUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(actor: Actor, tenantId: string): Promise<TenantUserView[]> {
    const id = resolveTenantAccess(actor, tenantId);
    await this.assertExists(id);
    const rows: { id: string; email: string; role: Role; first_name: string; last_name: string; can_sign_in: boolean }[] = await this.dataSource.query(
      `SELECT id, email, role, first_name, last_name, password_hash IS NOT NULL AS can_sign_in FROM users WHERE tenant_id = $1
        ORDER BY CASE role WHEN 'org_admin' THEN 0 WHEN 'coach' THEN 1 ELSE 2 END, email, id`,
      [id],
    );
    return rows.map((r) => ({ id: r.id, email: r.email, role: r.role, firstName: r.first_name, lastName: r.last_name, canSignIn: r.can_sign_in }));
  }

  /**
   * One password for every user of the tenant (QA fixtures: sign-in-ready clones). A credential
   * write, so system admins only (the route says so); under the tenant lock like an import, in
   * one statement. One bcrypt hash serves every row: they share the password by design.
   */
  async setPassword(tenantId: string, password: string): Promise<SetTenantPasswordResult> {
    await this.assertExists(tenantId);
    const hash = await hashPassword(password);
    const client = await pgPool(this.dataSource).connect();
    try {
      await client.query('BEGIN');
      await acquireImportLock(client, { kind: 'tenant', tenantId }, this.config.importLockTimeoutMs);
      const result = await client.query(`UPDATE users SET password_hash = $2 WHERE tenant_id = $1`, [tenantId, hash]);
      await client.query('COMMIT');
      return { tenantId, usersUpdated: result.rowCount ?? 0 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async assertExists(tenantId: string): Promise<void> {
    const rows: unknown[] = await this.dataSource.query(`SELECT 1 FROM tenants WHERE id = $1`, [tenantId]);
    if (rows.length === 0) throw notFound('Tenant', tenantId);
  }
}
