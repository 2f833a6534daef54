import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';
import { PgBoss } from 'pg-boss';
import { DataSource, type QueryRunner } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { visibleTenant } from '../auth/tenant-scope.js';
import { AppException, notFound } from '../common/app-exception.js';
import { inTransaction } from '../common/transaction.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { JobProgress, JobStatus, JobType, JobView, Page } from '../shared/api-types.js';
import { isTerminal } from '../shared/patterns.js';
import { TransferError } from '../transfer/errors.js';
import { DataJob } from './data-job.entity.js';
import type { EnqueueRequest, JobContext, JobOutcome, JobRunner } from './job-runner.js';

const QUEUE = 'rythm-data-jobs';
const HEARTBEAT_MS = 5_000;
/** A running job whose heartbeat is older than this belongs to a dead process. */
const STALE_AFTER_MS = 30_000;
const PROGRESS_EVERY_MS = 250;

/**
 * Background jobs: a `data_jobs` row tells the story (status, progress, result), pg-boss in the
 * same PostgreSQL carries the work, so any instance may pick a job up. Progress, cancellation and
 * liveness all go through the row, which keeps several instances consistent without extra servers.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private readonly runners = new Map<JobType, JobRunner>();
  private readonly running = new Map<string, AbortController>();
  private readonly workerId = `${hostname()}/${process.pid}/${Date.now().toString(36)}`;
  private boss: PgBoss | null = null;
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get jobsDir(): string {
    return join(this.config.dataDir, 'jobs');
  }

  registerRunner(type: JobType, runner: JobRunner): void {
    this.runners.set(type, runner);
  }

  async onApplicationBootstrap(): Promise<void> {
    await mkdir(this.jobsDir, { recursive: true });
    await this.failOrphanedJobs();
    await this.removeExpiredFiles();
    const url = this.dataSource.options.type === 'postgres' ? (this.dataSource.options as { url?: string }).url : undefined;
    this.boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4, application_name: 'rythm-data-jobs' });
    // Once stopping, the queue's last connections closing under it are expected, not errors.
    this.boss.on('error', (error) => {
      if (!this.stopping) this.logger.error({ msg: 'pg-boss error', error: String(error) });
    });
    await this.boss.start();
    await this.boss.createQueue(QUEUE, { retryLimit: 0, expireInSeconds: 6 * 3600 });
    await this.boss.work<{ jobId: string }>(
      QUEUE,
      { localConcurrency: this.config.jobConcurrency, batchSize: 1, pollingIntervalSeconds: 0.5 },
      async ([job]) => {
        await this.execute(job.data.jobId);
      },
    );
    this.timers.push(setInterval(() => void this.failOrphanedJobs().catch((e) => this.logger.warn(String(e))), STALE_AFTER_MS));
    this.timers.push(setInterval(() => void this.removeExpiredFiles().catch((e) => this.logger.warn(String(e))), 10 * 60_000));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const controller of this.running.values()) controller.abort(new AppException('UNAVAILABLE', 'The server is shutting down'));
    await this.boss?.stop({ graceful: true, timeout: 10_000 });
    this.boss = null;
  }

  /** The pg-boss instance, for modules that schedule their own work (scheduled backups). */
  get queue(): PgBoss {
    if (!this.boss) throw new AppException('UNAVAILABLE', 'The job queue is not running');
    return this.boss;
  }

  /**
   * Saves the job's row, then hands it to the queue. `admit` runs first, in the row's own
   * transaction (take a transaction lock, count, throw to refuse): a limit and the row it admits
   * commit together, so requests at the same moment cannot all pass it.
   */
  async enqueue(request: EnqueueRequest, admit?: (runner: QueryRunner) => Promise<void>): Promise<DataJob> {
    const job = await inTransaction(this.dataSource, async (runner) => {
      await admit?.(runner);
      const repository = runner.manager.getRepository(DataJob);
      return repository.save(
        repository.create({
          type: request.type,
          status: 'queued',
          tenantId: request.tenantId,
          createdBy: request.actor?.id ?? null,
          params: request.params,
          fileName: request.fileName ? basename(request.fileName) : null,
          progress: { phase: 'queued', rowsDone: 0 },
        }),
      );
    });
    await this.queue.send(QUEUE, { jobId: job.id });
    this.logger.log({ msg: 'job queued', jobId: job.id, type: job.type, tenantId: job.tenantId });
    return job;
  }

  async findVisible(id: string, actor: Actor): Promise<DataJob> {
    const job = await this.dataSource.getRepository(DataJob).findOne({ where: { id } });
    if (!job) throw notFound('Job', id);
    const tenant = visibleTenant(actor);
    if (tenant !== null && job.tenantId !== tenant) throw new AppException('TENANT_FORBIDDEN', 'This job belongs to another tenant');
    return job;
  }

  async list(actor: Actor, filter: { type?: JobType; status?: JobStatus; page: number; pageSize: number }): Promise<Page<JobView>> {
    const query = this.dataSource.getRepository(DataJob).createQueryBuilder('j').orderBy('j.created_at', 'DESC');
    const tenant = visibleTenant(actor);
    if (tenant !== null) query.andWhere('j.tenant_id = :tenant', { tenant });
    if (filter.type) query.andWhere('j.type = :type', { type: filter.type });
    if (filter.status) query.andWhere('j.status = :status', { status: filter.status });
    const [items, total] = await query
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return { items: items.map((j) => this.toView(j)), total, page: filter.page, pageSize: filter.pageSize };
  }

  async cancel(id: string, actor: Actor): Promise<DataJob> {
    const job = await this.findVisible(id, actor);
    if (isTerminal(job.status)) throw new AppException('CONFLICT', `The job has already ${job.status === 'cancelled' ? 'been cancelled' : job.status}`);
    // A queued job is cancelled at once; a running one is asked to stop and confirms itself.
    await this.dataSource.query(
      `UPDATE data_jobs SET cancel_requested = true,
         status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
         finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
         updated_at = now()
       WHERE id = $1`,
      [id],
    );
    this.running.get(id)?.abort(new AppException('CONFLICT', 'The job was cancelled'));
    return this.findVisible(id, actor);
  }

  async reload(id: string): Promise<DataJob | null> {
    return this.dataSource.getRepository(DataJob).findOne({ where: { id } });
  }

  filePath(job: Pick<DataJob, 'fileName'>): string | null {
    if (!job.fileName) return null;
    const path = join(this.jobsDir, basename(job.fileName));
    return existsSync(path) ? path : null;
  }

  toView(job: DataJob): JobView {
    return {
      id: job.id,
      type: job.type,
      status: job.status,
      tenantId: job.tenantId,
      createdBy: job.createdBy,
      params: job.params,
      progress: job.progress,
      result: job.result,
      error: job.error,
      createdAt: job.createdAt.toISOString(),
      startedAt: job.startedAt?.toISOString() ?? null,
      finishedAt: job.finishedAt?.toISOString() ?? null,
    };
  }

  private async execute(jobId: string): Promise<void> {
    const claimed: DataJob[] = await this.dataSource
      .getRepository(DataJob)
      .createQueryBuilder()
      .update()
      .set({ status: 'running', startedAt: () => 'now()', workerId: this.workerId, updatedAt: () => 'now()', progress: { phase: 'starting', rowsDone: 0 } })
      .where('id = :jobId AND status = :queued', { jobId, queued: 'queued' })
      .returning('*')
      .execute()
      .then((r) => r.raw as DataJob[]);
    if (claimed.length === 0) return; // cancelled while queued, or already taken
    const job = (await this.reload(jobId))!;
    const runner = this.runners.get(job.type);
    const controller = new AbortController();
    this.running.set(job.id, controller);
    const started = Date.now();
    this.logger.log({ msg: 'job started', jobId, type: job.type, tenantId: job.tenantId });

    let lastProgress: JobProgress | null = null;
    let lastWrite = 0;
    let lastPhase = '';
    const writeProgress = async () => {
      lastWrite = Date.now();
      // The heartbeat rides on the same write; cancellation requested elsewhere is read back here.
      const rows: { cancel_requested: boolean }[] = await this.dataSource.query(
        `UPDATE data_jobs SET progress = coalesce($2::jsonb, progress), updated_at = now() WHERE id = $1 RETURNING cancel_requested`,
        [jobId, lastProgress ? JSON.stringify(lastProgress) : null],
      );
      if (rows[0]?.cancel_requested && !controller.signal.aborted) controller.abort(new AppException('CONFLICT', 'The job was cancelled'));
    };
    const heartbeat = setInterval(() => void writeProgress().catch(() => undefined), HEARTBEAT_MS);
    const outputs = new Set<string>();
    const context: JobContext = {
      job,
      inputPath: job.fileName ? join(this.jobsDir, basename(job.fileName)) : null,
      signal: controller.signal,
      progress: (progress) => {
        lastProgress = progress;
        if (progress.phase !== lastPhase || Date.now() - lastWrite >= PROGRESS_EVERY_MS) {
          lastPhase = progress.phase;
          void writeProgress().catch(() => undefined);
        }
      },
      filePath: (name) => {
        const path = join(this.jobsDir, basename(name));
        outputs.add(path);
        return path;
      },
    };

    let outcome: JobOutcome | null = null;
    let failure: { code: string; message: string } | null = null;
    try {
      if (!runner) throw new AppException('INTERNAL', `No runner is registered for ${job.type} jobs`);
      outcome = await runner(context);
    } catch (error) {
      failure = this.describe(error);
      if (!(error instanceof TransferError)) this.logger.error({ msg: 'job crashed', jobId, error: String(error), stack: (error as Error)?.stack });
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
    }

    const cancelRequested = controller.signal.aborted && (controller.signal.reason as AppException | undefined)?.code === 'CONFLICT';
    const status: JobStatus = !outcome && cancelRequested ? 'cancelled' : failure || !outcome ? 'failed' : (outcome.status ?? 'succeeded');
    // A cancelled or failed job leaves no output behind.
    if (status !== 'succeeded') for (const path of outputs) await rm(path, { force: true });
    const expiresAt = new Date(Date.now() + this.config.exportTtlHours * 3600_000);
    await this.dataSource.query(
      `UPDATE data_jobs SET status = $2, result = $3, error = $4, file_name = coalesce($5, file_name), finished_at = now(), updated_at = now(), expires_at = $6,
         progress = jsonb_set(coalesce($7::jsonb, progress, '{}'), '{phase}', to_jsonb($2::text))
       WHERE id = $1`,
      [
        jobId,
        status,
        outcome?.result ? JSON.stringify(outcome.result) : null,
        status === 'cancelled'
          ? JSON.stringify({ code: 'CANCELLED', message: 'The job was cancelled' })
          : failure || outcome?.error
            ? JSON.stringify(failure ?? outcome?.error)
            : null,
        status === 'cancelled' ? null : (outcome?.fileName ?? null),
        expiresAt,
        // The last progress report may have been throttled away: the final row keeps it.
        lastProgress ? JSON.stringify(lastProgress) : null,
      ],
    );
    this.logger.log({
      msg: 'job finished',
      jobId,
      type: job.type,
      status,
      durationMs: Date.now() - started,
      rowCounts: (outcome?.result as { rowCounts?: unknown })?.rowCounts,
      error: failure?.message,
    });
  }

  private describe(error: unknown): { code: string; message: string } {
    if (error instanceof TransferError) return { code: error.code, message: error.message };
    if (error instanceof Error && error.name === 'AbortError') return { code: 'CANCELLED', message: 'The job was cancelled' };
    return { code: 'INTERNAL', message: `The job failed: ${error instanceof Error ? error.message : String(error)}` };
  }

  /**
   * Jobs left `running` by a process that died: PostgreSQL rolled their transactions back; the
   * row must say so. Same host and a dead pid → failed at once; otherwise a stale heartbeat.
   */
  async failOrphanedJobs(): Promise<number> {
    const running: { id: string; worker_id: string | null; stale: boolean }[] = await this.dataSource.query(
      `SELECT id, worker_id, updated_at < now() - make_interval(secs => $1) AS stale FROM data_jobs WHERE status = 'running'`,
      [STALE_AFTER_MS / 1000],
    );
    const dead = running.filter((job) => job.worker_id !== this.workerId && (job.stale || this.isDeadLocalWorker(job.worker_id)));
    if (dead.length === 0) return 0;
    await this.dataSource.query(
      `UPDATE data_jobs SET status = 'failed', finished_at = now(), updated_at = now(),
         error = '{"code":"INTERRUPTED","message":"The process running this job stopped; its changes were rolled back"}'
       WHERE id = ANY($1) AND status = 'running'`,
      [dead.map((job) => job.id)],
    );
    this.logger.warn({ msg: 'orphaned jobs marked failed', jobIds: dead.map((job) => job.id) });
    return dead.length;
  }

  private isDeadLocalWorker(workerId: string | null): boolean {
    if (!workerId) return true;
    const [host, pid] = workerId.split('/');
    if (host !== hostname()) return false;
    const pidNumber = Number(pid);
    if (pidNumber === process.pid) return true; // an earlier life of this pid (containers reuse pid 1)
    try {
      process.kill(pidNumber, 0);
      return false;
    } catch {
      return true;
    }
  }

  /** Export files and uploads live until their job expires (EXPORT_TTL_HOURS). */
  async removeExpiredFiles(): Promise<number> {
    const expired: { id: string; file_name: string }[] = await this.dataSource.query(
      `SELECT id, file_name FROM data_jobs WHERE expires_at < now() AND file_name IS NOT NULL`,
    );
    for (const job of expired) {
      await rm(join(this.jobsDir, basename(job.file_name)), { force: true });
      await this.dataSource.query(`UPDATE data_jobs SET file_name = NULL, updated_at = now() WHERE id = $1`, [job.id]);
    }
    return expired.length;
  }
}
