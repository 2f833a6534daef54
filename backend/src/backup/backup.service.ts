import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { resolveTenantAccess, visibleTenant } from '../auth/tenant-scope.js';
import { AppException, notFound } from '../common/app-exception.js';
import { pgPool } from '../common/pg-pool.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { Tenant } from '../domain/index.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { BackupKind, BackupSchedule, BackupView, ExportScope, JobProgress, Page } from '../shared/api-types.js';
import { STORAGE, type Storage, type StoredObject } from '../storage/storage.js';
import { domainTables } from '../transfer/domain-tables.js';
import type { ChangeSetSummary } from '../transfer/change-set/change-set.js';
import { SCHEMA_VERSION } from '../database/migrations/index.js';
import { tenantLockKey } from '../transfer/import/tenant-lock.js';
import { Backup } from './backup.entity.js';
import { writeBackupFile, writeChangeSetFile } from './backup-file.js';
import type { ListBackupsQuery } from './dto/list-backups.query.js';

const SCHEDULE_QUEUE = 'rythm-scheduled-backup';
const AUTOMATIC_KINDS: BackupKind[] = ['scheduled', 'pre-import', 'pre-restore'];
/** Advisory-lock namespace beside the import locks (726_339_300/301): one tenant's manual-backup count. */
const MANUAL_BACKUP_NAMESPACE = 726_339_302;
/** A backup that no queued or running restore (or undo, of a change set) reads: only such a backup's file may be deleted. */
const NOT_BEING_RESTORED = `NOT EXISTS (SELECT 1 FROM data_jobs j WHERE j.status IN ('queued', 'running')
  AND ((j.type = 'restore' AND j.params->>'backupId' = b.id::text) OR (j.type = 'undo' AND j.params->>'changeSetId' = b.id::text)))`;

export interface CreateBackupInput {
  kind: BackupKind;
  scope: 'tenant' | 'full';
  tenantId: string | null;
  note?: string | null;
  createdBy?: string | null;
  jobId?: string | null;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
}

@Injectable()
export class BackupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('Backups');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    @Inject(STORAGE) readonly storage: Storage,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.jobs.registerRunner('backup', async (context) => {
      const { params } = context;
      const kind = params.kind ?? 'manual';
      const backup = await this.createBackup({
        kind,
        scope: params.scope,
        tenantId: params.tenantId ?? null,
        note: params.note ?? null,
        createdBy: context.job.createdBy,
        jobId: context.job.id,
        signal: context.signal,
        onProgress: (progress) => context.progress(progress),
      });
      const pruned = kind === 'scheduled' ? await this.prune() : 0;
      return { result: { backupId: backup.id, fileName: backup.fileName, sizeBytes: Number(backup.sizeBytes), rowCounts: backup.rowCounts, pruned } };
    });
    // pg-boss keeps the schedule in PostgreSQL and sends one job per tick for the whole cluster,
    // whichever instances are up; a worker on any of them runs it.
    const boss = this.jobs.queue;
    await boss.createQueue(SCHEDULE_QUEUE, { retryLimit: 0 });
    await boss.schedule(SCHEDULE_QUEUE, this.config.backupCron, {}, { tz: 'UTC' });
    await boss.work(SCHEDULE_QUEUE, { batchSize: 1 }, async () => {
      await this.jobs.enqueue({ type: 'backup', actor: null, tenantId: null, params: { scope: 'full', kind: 'scheduled', note: 'scheduled backup' } });
    });
  }

  schedule(): BackupSchedule {
    return { cron: this.config.backupCron, retentionDays: this.config.backupRetentionDays, retentionCount: this.config.backupRetentionCount };
  }

  /** Writes the bundle and its row. Used by manual, scheduled, pre-import and pre-restore backups. */
  async createBackup(input: CreateBackupInput): Promise<Backup> {
    if (input.scope === 'tenant' && !input.tenantId) throw new AppException('BAD_REQUEST', 'tenantId: required for a tenant backup');
    const tenant = input.tenantId ? await this.dataSource.getRepository(Tenant).findOne({ where: { id: input.tenantId } }) : null;
    if (input.tenantId && !tenant) throw notFound('Tenant', input.tenantId);
    const file = await writeBackupFile(
      pgPool(this.dataSource),
      domainTables(this.dataSource),
      { scope: input.scope, tenantId: input.tenantId, kind: input.kind, tenantSlug: tenant?.slug ?? null },
      this.storage,
      { signal: input.signal, onProgress: input.onProgress },
    );
    const repository = this.dataSource.getRepository(Backup);
    const backup = await repository.save(
      repository.create({
        kind: input.kind,
        scope: input.scope,
        tenantId: input.tenantId,
        fileName: file.fileName,
        sizeBytes: String(file.sizeBytes),
        sha256: file.sha256,
        rowCounts: file.rowCounts,
        schemaVersion: file.schemaVersion,
        createdBy: input.createdBy ?? null,
        note: input.note ?? null,
        jobId: input.jobId ?? null,
      }),
    );
    this.logger.log({
      msg: 'backup written',
      backupId: backup.id,
      kind: backup.kind,
      scope: backup.scope,
      tenantId: backup.tenantId,
      sizeBytes: file.sizeBytes,
    });
    return backup;
  }

  /**
   * A change set as a pre-import backup: its file, and its row written on the import's own
   * connection, so that the row commits with the import or not at all. `discard` removes the file
   * when that transaction does not commit.
   */
  async saveChangeSet(
    client: pg.ClientBase,
    input: { scope: ExportScope; tenantId: string | null; jobId: string; createdBy: string | null; note: string },
    write: (output: Writable) => Promise<ChangeSetSummary>,
  ): Promise<{ backupId: string; discard: () => Promise<void> }> {
    const { rows: tenants } = input.tenantId
      ? await client.query<{ slug: string }>(`SELECT "slug" FROM "tenants" WHERE "id" = $1`, [input.tenantId])
      : { rows: [] };
    const file = await writeChangeSetFile(this.storage, tenants[0]?.slug ?? input.scope, write);
    const discard = () => this.storage.delete('backups', file.fileName);
    try {
      const { rows } = await client.query<{ id: string }>(
        `INSERT INTO "backups" ("kind", "content", "scope", "tenant_id", "file_name", "size_bytes", "sha256", "row_counts", "schema_version", "created_by", "note", "job_id")
         VALUES ('pre-import', 'change-set', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING "id"`,
        [
          input.scope === 'tenant' ? 'tenant' : input.scope,
          input.tenantId,
          file.fileName,
          String(file.sizeBytes),
          file.sha256,
          JSON.stringify(file.produced.rowCounts),
          SCHEMA_VERSION,
          input.createdBy,
          input.note,
          input.jobId,
        ],
      );
      this.logger.log({ msg: 'change set written', backupId: rows[0].id, jobId: input.jobId, tenantId: input.tenantId, sizeBytes: file.sizeBytes });
      return { backupId: rows[0].id, discard };
    } catch (error) {
      await discard();
      throw error;
    }
  }

  /** The change set an applied import (or undo) wrote, or null. */
  async changeSetOf(jobId: string): Promise<Backup | null> {
    return this.dataSource.getRepository(Backup).findOne({ where: { jobId, content: 'change-set' } });
  }

  async enqueueManual(actor: Actor, input: { scope: 'tenant' | 'full'; tenantId?: string; note?: string }) {
    let tenantId: string | null = null;
    if (input.scope === 'full') {
      if (actor.role !== 'system_admin') throw new AppException('FORBIDDEN', 'Only system admins can back up the full system');
    } else {
      tenantId = resolveTenantAccess(actor, input.tenantId);
      if (!(await this.dataSource.getRepository(Tenant).exists({ where: { id: tenantId } }))) throw notFound('Tenant', tenantId);
    }
    // System admins are trusted operators: only org admins' requests are held to the cap.
    const admit = actor.role === 'system_admin' || tenantId === null ? undefined : (runner: QueryRunner) => this.admitManualBackup(runner, tenantId);
    return this.jobs.enqueue(
      { type: 'backup', actor, tenantId, params: { scope: input.scope, tenantId: tenantId ?? undefined, note: input.note, kind: 'manual' } },
      admit,
    );
  }

  /**
   * Manual backups are never pruned, so an org admin may add one only while the tenant has fewer
   * than MAX_MANUAL_BACKUPS_PER_TENANT, counting those still queued or being written. The tenant's
   * lock serialises the count with the job row it admits (JobsService.enqueue's transaction).
   */
  private async admitManualBackup(runner: QueryRunner, tenantId: string): Promise<void> {
    await runner.query(`SELECT pg_advisory_xact_lock($1, $2)`, [MANUAL_BACKUP_NAMESPACE, tenantLockKey(tenantId)]);
    const [{ held }]: { held: number }[] = await runner.query(
      `SELECT ((SELECT count(*) FROM backups WHERE tenant_id = $1 AND kind = 'manual')
            + (SELECT count(*) FROM data_jobs j
               WHERE j.tenant_id = $1 AND j.type = 'backup' AND j.status IN ('queued', 'running') AND j.params->>'kind' = 'manual'
                 AND NOT EXISTS (SELECT 1 FROM backups b WHERE b.job_id = j.id)))::int AS held`,
      [tenantId],
    );
    const cap = this.config.maxManualBackupsPerTenant;
    if (held < cap) return;
    throw new AppException(
      'CONFLICT',
      `This tenant has ${held} manual backups (counting those still being written) and org admins may keep at most ${cap} per tenant (MAX_MANUAL_BACKUPS_PER_TENANT), as manual backups are never pruned. Delete old ones (a system admin can) or ask a system admin to take this backup`,
    );
  }

  async findVisible(id: string, actor: Actor): Promise<Backup> {
    const backup = await this.dataSource.getRepository(Backup).findOne({ where: { id } });
    if (!backup) throw notFound('Backup', id);
    const tenant = visibleTenant(actor);
    if (tenant !== null && backup.tenantId !== tenant) throw new AppException('TENANT_FORBIDDEN', 'This backup belongs to another tenant');
    return backup;
  }

  /**
   * A backup holds the tenant's password hashes (it must restore with psql alone), so its file goes
   * to system admins only; org admins list and restore their tenant's backups, and export instead.
   */
  assertMayDownload(actor: Actor): void {
    if (actor.role === 'system_admin') return;
    throw new AppException(
      'FORBIDDEN',
      "Backups carry the tenant's credentials (password hashes): only system admins can download them. To take a copy of your organisation's data, export it (Export page or `rythm-data export`)",
    );
  }

  async findById(id: string): Promise<Backup> {
    const backup = await this.dataSource.getRepository(Backup).findOne({ where: { id } });
    if (!backup) throw notFound('Backup', id);
    return backup;
  }

  /** The backup's stored file, or 410 saying it is not in storage (and where it was looked for). */
  async storedFile(backup: Backup): Promise<StoredObject & { name: string }> {
    const name = basename(backup.fileName);
    const found = await this.storage.stat('backups', name);
    if (!found) throw new AppException('GONE', `The file of backup ${backup.id} (${name}) was not found in storage (${this.storage.where('backups')})`);
    return { name, ...found };
  }

  async list(actor: Actor, query: ListBackupsQuery): Promise<Page<BackupView>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 25;
    const q = this.dataSource.getRepository(Backup).createQueryBuilder('b');
    const tenant = visibleTenant(actor);
    if (tenant !== null) {
      if (query.tenantId && query.tenantId !== tenant) throw new AppException('TENANT_FORBIDDEN', 'Org admins see only their own tenant’s backups');
      q.andWhere('b.tenant_id = :tenant', { tenant });
    } else if (query.tenantId) q.andWhere('b.tenant_id = :tenant', { tenant: query.tenantId });
    if (query.kind) q.andWhere('b.kind = :kind', { kind: query.kind });
    if (query.from) q.andWhere('b.created_at >= :from', { from: query.from });
    if (query.to) q.andWhere('b.created_at < :to', { to: query.to });
    const sortColumn = { createdAt: 'b.createdAt', sizeBytes: 'b.sizeBytes', kind: 'b.kind' }[query.sort ?? 'createdAt'];
    q.orderBy(sortColumn, (query.order ?? 'desc').toUpperCase() as 'ASC' | 'DESC').addOrderBy('b.id', 'ASC');
    const [items, total] = await q
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    const slugs = await this.slugs(items.map((b) => b.tenantId).filter((id): id is string => id !== null));
    return { items: items.map((b) => this.toView(b, slugs)), total, page, pageSize };
  }

  /** Deletes the backup's row and file; returns what was deleted. Refused while a restore reads it. */
  async remove(id: string, actor: Actor): Promise<Backup> {
    const backup = await this.findVisible(id, actor);
    const [, deleted]: [unknown[], number] = await this.dataSource.query(`DELETE FROM backups b WHERE b.id = $1 AND ${NOT_BEING_RESTORED}`, [backup.id]);
    if (deleted === 0 && (await this.dataSource.getRepository(Backup).exists({ where: { id: backup.id } }))) {
      throw new AppException(
        'CONFLICT',
        `Backup ${backup.id} is being restored (a queued or running restore job reads it): delete it when the restore has finished`,
      );
    }
    await this.storage.delete('backups', basename(backup.fileName));
    return backup;
  }

  /**
   * Retention: automatic backups (scheduled, pre-import, pre-restore) older than the retention
   * days, or beyond the retention count per kind, lose their file and their row together.
   * Manual backups stay until someone deletes them.
   */
  async prune(now = new Date()): Promise<number> {
    const { backupRetentionDays: days, backupRetentionCount: count } = this.config;
    const doomed: { id: string; file_name: string }[] = await this.dataSource.query(
      `SELECT id, file_name FROM (
         SELECT id, file_name, created_at, row_number() OVER (PARTITION BY kind ORDER BY created_at DESC, id) AS rank
         FROM backups WHERE kind = ANY($1)
       ) b
       WHERE ($2::int IS NOT NULL AND b.created_at < $4::timestamptz - make_interval(days => $2::int))
          OR ($3::int IS NOT NULL AND b.rank > $3::int)`,
      [AUTOMATIC_KINDS, days, count, now.toISOString()],
    );
    // Row first, then object: whichever instance deletes the row deletes the file (a second one finds
    // no row and skips), a restore that reads the backup keeps it, and a crash in between leaves an
    // orphan object, never a row naming a missing file.
    let pruned = 0;
    for (const backup of doomed) {
      const [, deleted]: [unknown[], number] = await this.dataSource.query(`DELETE FROM backups b WHERE b.id = $1 AND ${NOT_BEING_RESTORED}`, [backup.id]);
      if (deleted === 0) continue;
      await this.storage.delete('backups', basename(backup.file_name));
      pruned++;
    }
    if (pruned) this.logger.log({ msg: 'backups pruned', count: pruned });
    return pruned;
  }

  async view(backup: Backup): Promise<BackupView> {
    return this.toView(backup, await this.slugs(backup.tenantId ? [backup.tenantId] : []));
  }

  toView(backup: Backup, slugs: Map<string, string> = new Map()): BackupView {
    return {
      id: backup.id,
      kind: backup.kind,
      content: backup.content,
      jobId: backup.jobId,
      scope: backup.scope,
      tenantId: backup.tenantId,
      tenantSlug: backup.tenantId ? (slugs.get(backup.tenantId) ?? null) : null,
      fileName: backup.fileName,
      sizeBytes: Number(backup.sizeBytes),
      sha256: backup.sha256,
      rowCounts: backup.rowCounts,
      schemaVersion: backup.schemaVersion,
      createdBy: backup.createdBy,
      note: backup.note,
      createdAt: backup.createdAt.toISOString(),
    };
  }

  private async slugs(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: { id: string; slug: string }[] = await this.dataSource.query(`SELECT id, slug FROM tenants WHERE id = ANY($1)`, [ids]);
    return new Map(rows.map((r) => [r.id, r.slug]));
  }
}
