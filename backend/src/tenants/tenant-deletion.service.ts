import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { basename } from 'node:path';
import { DataSource } from 'typeorm';
import { BackupService } from '../backup/backup.service.js';
import { AppException, badRequest, notFound } from '../common/app-exception.js';
import { pgPool } from '../common/pg-pool.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { TenantDeleted } from '../shared/api-types.js';
import { domainTables } from '../transfer/domain-tables.js';
import { acquireImportLock } from '../transfer/import/tenant-lock.js';

interface TenantRow {
  id: string;
  slug: string;
  name: string;
  scratch: boolean;
  expired: boolean;
}

export interface DeleteOptions {
  /** Who asked (a user's or an API token's id); null for the clean-up job. */
  createdBy: string | null;
  /** The clean-up job: delete only if the tenant is still scratch and expired once the lock is held. */
  onlyIfExpired?: boolean;
}

/**
 * Deleting a tenant (DESIGN §9): every row of the tenant in every RYTHM table, children first, in
 * one transaction under the tenant's import lock, so no import or restore interleaves. A tenant
 * that is not scratch is backed up first (kind pre-delete, kept until a system admin deletes it:
 * it is the way back); a scratch tenant is not, and its own backups go with it. Change sets (undo of
 * one import) go either way. Finished jobs of
 * the tenant and their files (exports and uploads hold its data) go too; the audit log keeps its
 * rows, the record of the deletion among them.
 */
@Injectable()
export class TenantDeletionService {
  private readonly logger = new Logger('Tenants');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backups: BackupService,
    private readonly jobs: JobsService,
  ) {}

  /** The typed confirmation, as the restore dialog asks for it: the slug, or the id. */
  async checkConfirmation(tenantId: string, confirm: string): Promise<void> {
    const rows: { slug: string }[] = await this.dataSource.query(`SELECT slug FROM tenants WHERE id = $1`, [tenantId]);
    if (rows.length === 0) throw notFound('Tenant', tenantId);
    if (confirm !== rows[0].slug && confirm.toLowerCase() !== tenantId) {
      throw badRequest('confirm', `type the tenant's slug (${rows[0].slug}) or its id to confirm the deletion; got "${confirm.slice(0, 80)}"`);
    }
  }

  /** Deletes the tenant; null when `onlyIfExpired` and it is not (or no longer) an expired scratch tenant. */
  async delete(tenantId: string, options: DeleteOptions): Promise<TenantDeleted | null> {
    const started = Date.now();
    const client = await pgPool(this.dataSource).connect();
    let committed = false;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL statement_timeout = ${Math.floor(this.config.importStatementTimeoutMs)}`);
      await acquireImportLock(client, { kind: 'tenant', tenantId }, this.config.importLockTimeoutMs);
      // Read again under the lock: another deletion (another instance's clean-up) may have won.
      const { rows } = await client.query<TenantRow>(
        `SELECT t.id, t.slug, t.name, s.tenant_id IS NOT NULL AS scratch, coalesce(s.expires_at <= now(), false) AS expired
           FROM tenants t LEFT JOIN scratch_tenants s ON s.tenant_id = t.id WHERE t.id = $1 FOR UPDATE OF t`,
        [tenantId],
      );
      const tenant = rows[0];
      if (!tenant) {
        if (options.onlyIfExpired) return null;
        throw notFound('Tenant', tenantId);
      }
      if (options.onlyIfExpired && !(tenant.scratch && tenant.expired)) return null;
      const { rows: busy } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM data_jobs WHERE tenant_id = $1 AND status IN ('queued', 'running')`,
        [tenantId],
      );
      if (busy[0].n > 0) {
        throw new AppException(
          'CONFLICT',
          `Tenant ${tenant.slug} has ${busy[0].n} job${busy[0].n === 1 ? '' : 's'} queued or running: wait for ${busy[0].n === 1 ? 'it' : 'them'} to finish or cancel ${busy[0].n === 1 ? 'it' : 'them'} (\`rythm-data jobs list\`), then delete the tenant; nothing was deleted`,
        );
      }
      // The backup reads on its own connection; the lock held here keeps every import out meanwhile.
      const backup = tenant.scratch
        ? null
        : await this.backups.createBackup({
            kind: 'pre-delete',
            scope: 'tenant',
            tenantId,
            createdBy: options.createdBy,
            note: `before deleting tenant ${tenant.slug} (${tenant.name})`,
          });

      const rowsDeleted: Record<string, number> = {};
      const tokens = await client.query(`DELETE FROM api_tokens WHERE tenant_id = $1`, [tenantId]);
      const mark = await client.query<{ job_id: string | null }>(`DELETE FROM scratch_tenants WHERE tenant_id = $1 RETURNING job_id`, [tenantId]);
      for (const spec of [...domainTables(this.dataSource)].reverse()) {
        if (spec.ownership === 'global') continue;
        const where = spec.ownership === 'root' ? `"id" = $1` : `"tenant_id" = $1`;
        const result = await client.query(`DELETE FROM "${spec.name}" WHERE ${where}`, [tenantId]);
        rowsDeleted[spec.name] = result.rowCount ?? 0;
      }
      // The tenant's jobs, and the clone job that made it, whose row names no tenant: a scratch
      // tenant's mark says which; otherwise (a rare deletion) its result is searched.
      const jobs = await client.query<{ file_name: string | null }>(
        `DELETE FROM data_jobs
          WHERE tenant_id = $1
             OR (status IN ('succeeded', 'failed', 'cancelled') AND tenant_id IS NULL
                 AND (id = $2::uuid OR (NOT $3 AND type = 'import' AND result->>'targetTenantId' = $1::text)))
          RETURNING file_name`,
        [tenantId, mark.rows[0]?.job_id ?? null, tenant.scratch],
      );
      // Change sets go in any case: they undo imports whose jobs and rows are gone with the tenant.
      const ownBackups = await client.query<{ file_name: string }>(
        `DELETE FROM backups WHERE tenant_id = $1 AND ($2 OR content = 'change-set') RETURNING file_name`,
        [tenantId, tenant.scratch],
      );
      await client.query('COMMIT');
      committed = true;

      // Files after the commit: a rolled-back deletion must find them all still there.
      for (const job of jobs.rows) if (job.file_name) await this.jobs.jobFiles.remove(job.file_name);
      for (const file of ownBackups.rows) await this.backups.storage.delete('backups', basename(file.file_name));
      const deleted: TenantDeleted = {
        tenantId,
        slug: tenant.slug,
        name: tenant.name,
        scratch: tenant.scratch,
        backupId: backup?.id ?? null,
        rowsDeleted,
        jobsDeleted: jobs.rows.length,
        backupsDeleted: ownBackups.rows.length,
        apiTokensDeleted: tokens.rowCount ?? 0,
        durationMs: Date.now() - started,
      };
      this.logger.log({ msg: 'tenant deleted', ...deleted });
      return deleted;
    } catch (error) {
      throw translate(error);
    } finally {
      if (!committed) await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }
}

function translate(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  if (code === '23503') {
    return new AppException(
      'CONFLICT',
      `A row outside the tenant still references one of its rows (${(error as { detail?: string }).detail ?? (error as Error).message}): nothing was deleted`,
    );
  }
  if (code === '57014') return new AppException('UNAVAILABLE', 'The deletion ran longer than IMPORT_STATEMENT_TIMEOUT_MS: rolled back, nothing was deleted');
  return error;
}
