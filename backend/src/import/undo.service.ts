import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { pipeline } from 'node:stream/promises';
import { PassThrough } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { storedSha256 } from '../backup/backup-file.js';
import { BackupService } from '../backup/backup.service.js';
import { AppException, notFound } from '../common/app-exception.js';
import { pgPool } from '../common/pg-pool.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { JobContext, JobOutcome } from '../jobs/job-runner.js';
import type { Job } from '../jobs/job-types.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { UndoImportRequest, UndoReport } from '../shared/api-types.js';
import { isTerminal } from '../shared/patterns.js';
import { undoChangeSet } from '../transfer/change-set/undo-engine.js';
import { domainTables } from '../transfer/domain-tables.js';
import { trustOf } from '../transfer/import/trust.js';

/** Conflicts an undo's report lists (the rest are counted). */
const REPORTED_CONFLICTS = 200;

/**
 * Undo of one applied import (docs/undo.md): the job reads the import's change set back through
 * the undo engine, in one transaction under the tenant's lock. An undo writes its own change set,
 * so undoing it re-does the import.
 */
@Injectable()
export class UndoService implements OnModuleInit {
  private readonly logger = new Logger('Undo');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly backups: BackupService,
    private readonly audit: AuditService,
  ) {}

  onModuleInit(): void {
    this.jobs.registerRunner('undo', (context) => this.run(context));
  }

  /** Queues an undo (or its dry run) of an applied import or undo job the actor can see. */
  async request(actor: Actor, jobId: string, request: UndoImportRequest): Promise<Job<'undo'>> {
    const job = await this.jobs.findVisible(jobId, actor);
    if (job.type !== 'import' && job.type !== 'undo') throw notFound('Import job', jobId);
    if (!isTerminal(job.status)) throw new AppException('JOB_NOT_FINISHED', `Job ${job.id} is ${job.status}: undo it when it has finished`);
    if (job.result?.applied !== true)
      throw new AppException('CONFLICT', `Job ${job.id} did not change anything (a dry run, or it failed): there is nothing to undo`);
    const changeSet = await this.backups.changeSetOf(job.id);
    if (!changeSet) {
      if (job.type === 'import' && job.result?.restorePoint === 'full' && job.result.backupId)
        throw new AppException(
          'GONE',
          `Import ${job.id} recorded a full backup (PRE_IMPORT_BACKUP=full), not a change set: it cannot be undone on its own. Restore backup ${job.result.backupId} instead (it replaces the whole tenant)`,
        );
      if (job.type === 'import' && job.result?.backupId === null)
        throw new AppException(
          'GONE',
          `Import ${job.id} recorded no restore point (a scratch tenant, or a new tenant under PRE_IMPORT_BACKUP=full): it cannot be undone`,
        );
      throw new AppException('GONE', `The change set of job ${job.id} is no longer kept (backup retention, or it was deleted): it cannot be undone`);
    }
    const undone = await this.undoneBy(job.id);
    if (undone) throw new AppException('CONFLICT', `Job ${job.id} was already undone by job ${undone}: undo that job to redo it`);
    return this.jobs.enqueue({
      type: 'undo',
      actor,
      // The tenant the change set writes (a system admin's import may have named none).
      tenantId: changeSet.tenantId ?? job.tenantId,
      params: {
        undoesJobId: job.id,
        changeSetId: changeSet.id,
        dryRun: request.dryRun === true,
        force: request.force === true,
        actorRole: actor.role,
        actorTenantId: actor.tenantId,
        actorEmail: actor.email,
      },
    });
  }

  /** The job that undid `jobId`, if one did. */
  async undoneBy(jobId: string): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT "id" FROM "data_jobs" WHERE "type" = 'undo' AND "status" = 'succeeded' AND "params"->>'undoesJobId' = $1 AND ("result"->>'applied')::boolean
        ORDER BY "finished_at" DESC LIMIT 1`,
      [jobId],
    );
    return rows[0]?.id ?? null;
  }

  async report(actor: Actor, jobId: string): Promise<UndoReport> {
    const job = await this.jobs.findVisible(jobId, actor);
    if (job.type !== 'undo') throw notFound('Undo job', jobId);
    if (!isTerminal(job.status)) throw new AppException('JOB_NOT_FINISHED', `Undo job ${job.id} is ${job.status}: its report is ready when it has finished`);
    if (job.result) return { ...job.result, jobId: job.id, status: job.status };
    throw new AppException('GONE', `Undo job ${job.id} ${job.status} before it could report: ${job.error?.message ?? 'no reason recorded'}`);
  }

  private async run(context: JobContext<'undo'>): Promise<JobOutcome<'undo'>> {
    const started = Date.now();
    const { params } = context;
    const backup = await this.backups.findById(params.changeSetId);
    const stored = await this.backups.storedFile(backup);
    context.progress({ phase: 'verifying change set', rowsDone: 0 });
    if ((await storedSha256(this.backups.storage, stored.name)) !== backup.sha256)
      throw new AppException('INVALID_BUNDLE', `The change set ${backup.id} is corrupt: its file no longer matches the sha256 recorded when it was written`);
    if (!params.dryRun) {
      const undone = await this.undoneBy(params.undoesJobId);
      if (undone) throw new AppException('CONFLICT', `Job ${params.undoesJobId} was already undone by job ${undone}`);
    }
    const script = new PassThrough();
    const reading = pipeline(await this.backups.storage.read('backups', stored.name), createGunzip(), script);
    reading.catch(() => undefined);
    try {
      const outcome = await undoChangeSet(
        pgPool(this.dataSource),
        script,
        { jobId: context.job.id, dryRun: params.dryRun, force: params.force, trust: trustOf(params.actorRole, 'backup') },
        {
          tables: domainTables(this.dataSource),
          lockTimeoutMs: this.config.importLockTimeoutMs,
          statementTimeoutMs: this.config.importStatementTimeoutMs,
          maxConflicts: REPORTED_CONFLICTS,
          signal: context.signal,
          onProgress: (progress) => context.progress(progress),
          // The undone job says so in its own result (the Jobs list reads only results), with the undo.
          onApplied: async (client) => {
            await client.query(
              `UPDATE "data_jobs" SET "result" = jsonb_set("result", '{undoneByJobId}', to_jsonb($1::text)) WHERE "id" = $2 AND "result" IS NOT NULL`,
              [context.job.id, params.undoesJobId],
            );
          },
          saveChangeSet: (client, meta, write) =>
            this.backups.saveChangeSet(
              client,
              {
                ...meta,
                jobId: context.job.id,
                createdBy: context.job.createdBy,
                note: `change set of undo job ${context.job.id} (undo it to redo job ${params.undoesJobId})`,
              },
              write,
            ),
        },
      );
      const result: UndoReport = {
        jobId: context.job.id,
        status: outcome.failure ? 'failed' : 'succeeded',
        undoesJobId: params.undoesJobId,
        changeSetId: backup.id,
        tenantId: outcome.header.tenantId,
        dryRun: params.dryRun,
        force: params.force,
        plan: outcome.plan,
        conflicts: outcome.conflicts,
        moreConflicts: outcome.moreConflicts,
        overwritten: outcome.overwritten,
        applied: outcome.applied,
        backupId: outcome.backupId,
        durationMs: Date.now() - started,
      };
      this.logger.log({
        msg: 'undo finished',
        jobId: context.job.id,
        undoes: params.undoesJobId,
        applied: result.applied,
        conflicts: result.conflicts.length + result.moreConflicts,
      });
      await this.audit.record({
        action: 'import.result',
        outcome: outcome.failure ? 'failure' : 'success',
        actor: { id: context.job.createdBy ?? undefined, email: params.actorEmail, role: params.actorRole, tenantId: params.actorTenantId },
        tenantId: context.job.tenantId,
        params: {
          jobId: context.job.id,
          kind: 'undo',
          undoesJobId: params.undoesJobId,
          dryRun: params.dryRun,
          force: params.force,
          applied: result.applied,
          overwritten: result.overwritten,
          conflicts: result.conflicts.length + result.moreConflicts,
        },
      });
      return outcome.failure ? { result, status: 'failed', error: outcome.failure } : { result };
    } finally {
      script.destroy();
    }
  }
}
