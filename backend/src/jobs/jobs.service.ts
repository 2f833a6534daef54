import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { basename } from 'node:path';
import type { PgBoss } from 'pg-boss';
import type { QueryRunner } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { visibleTenant } from '../auth/tenant-scope.js';
import { AppException, notFound } from '../common/app-exception.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { JobStatus, JobType, JobView, Page } from '../shared/api-types.js';
import { isTerminal } from '../shared/patterns.js';
import { JobExecutor } from './job-executor.js';
import { JobFiles } from './job-files.js';
import { JobJanitor } from './job-janitor.js';
import { JobQueue } from './job-queue.js';
import type { EnqueueRequest, JobRunner } from './job-runner.js';
import type { Job } from './job-types.js';
import { toJobView } from './job-view.js';
import { JobRepository } from './job.repository.js';

/**
 * Background jobs, as the other modules use them: a `data_jobs` row tells the story (status,
 * progress, result), pg-boss in the same PostgreSQL carries the work, so any instance may pick a
 * job up. This facade starts and stops the pieces in order and checks who may see a job; the
 * queue (JobQueue), the rows (JobRepository), the running (JobExecutor) and the clean-up
 * (JobJanitor) are one class each.
 */
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');

  constructor(
    private readonly repository: JobRepository,
    private readonly jobQueue: JobQueue,
    private readonly executor: JobExecutor,
    private readonly janitor: JobJanitor,
    private readonly files: JobFiles,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The jobs' files (export files, uploads) in storage. */
  get jobFiles(): JobFiles {
    return this.files;
  }

  registerRunner<T extends JobType>(type: T, runner: JobRunner<T>): void {
    this.executor.register(type, runner);
  }

  async onApplicationBootstrap(): Promise<void> {
    // What the last process left behind is settled before this one takes new work.
    await this.janitor.failOrphanedJobs();
    await this.janitor.removeExpiredFiles();
    await this.jobQueue.start(this.config.jobConcurrency, (jobId) => this.executor.execute(jobId));
    this.janitor.start();
  }

  async onModuleDestroy(): Promise<void> {
    this.janitor.stop();
    this.executor.abortAll();
    await this.jobQueue.stop();
  }

  /** The pg-boss instance, for modules that schedule their own work (scheduled backups). */
  get queue(): PgBoss {
    return this.jobQueue.pgBoss;
  }

  /**
   * Saves the job's row, then hands it to the queue. `admit` runs first, in the row's own
   * transaction (take a transaction lock, count, throw to refuse): a limit and the row it admits
   * commit together, so requests at the same moment cannot all pass it.
   */
  async enqueue<T extends JobType>(request: EnqueueRequest<T>, admit?: (runner: QueryRunner) => Promise<void>): Promise<Job<T>> {
    const job = await this.repository.insert(
      {
        type: request.type,
        tenantId: request.tenantId,
        createdBy: request.actor?.id ?? null,
        params: request.params,
        fileName: request.fileName ? basename(request.fileName) : null,
      },
      request.reusesFileOf ? this.holdingFileOf(request.reusesFileOf, admit) : admit,
    );
    request.beforeQueue?.(job);
    await this.jobQueue.send(job.id);
    this.logger.log({ msg: 'job queued', jobId: job.id, type: job.type, tenantId: job.tenantId });
    return job;
  }

  /**
   * The new row reuses another job's file (a dry run's upload): under the file's lock, which the
   * clean-up takes too, that job must still hold it, so the file is never removed under the job
   * that is about to read it.
   */
  private holdingFileOf(jobId: string, admit?: (runner: QueryRunner) => Promise<void>) {
    return async (runner: QueryRunner) => {
      const held = await this.repository.lockFileOf(runner, jobId);
      if (!held.fileName) {
        // The clean-up took it (so it had expired), or the job never named one.
        const expired = held.expiresAt && held.expiresAt.getTime() <= Date.now() ? held.expiresAt : null;
        throw new AppException(
          'GONE',
          expired
            ? `The upload of dry run ${jobId} expired at ${expired.toISOString()} (EXPORT_TTL_HOURS): upload the bundle again`
            : `The upload of dry run ${jobId} was not found in storage: upload the bundle again`,
        );
      }
      await admit?.(runner);
    };
  }

  async findVisible(id: string, actor: Actor): Promise<Job> {
    const job = await this.repository.findById(id);
    if (!job) throw notFound('Job', id);
    const tenant = visibleTenant(actor);
    if (tenant !== null && job.tenantId !== tenant) throw new AppException('TENANT_FORBIDDEN', 'This job belongs to another tenant');
    return job;
  }

  async list(actor: Actor, filter: { type?: JobType; status?: JobStatus; page: number; pageSize: number }): Promise<Page<JobView>> {
    const [items, total] = await this.repository.page({ ...filter, tenantId: visibleTenant(actor) });
    return { items: items.map((j) => this.toView(j)), total, page: filter.page, pageSize: filter.pageSize };
  }

  async cancel(id: string, actor: Actor): Promise<Job> {
    const job = await this.findVisible(id, actor);
    if (isTerminal(job.status)) throw new AppException('CONFLICT', `The job has already ${job.status === 'cancelled' ? 'been cancelled' : job.status}`);
    await this.repository.requestCancel(id);
    this.executor.cancel(id);
    return this.findVisible(id, actor);
  }

  async reload(id: string): Promise<Job | null> {
    return this.repository.findById(id);
  }

  /**
   * The job's file (an export's output, an import's upload) while it is in storage, else GONE
   * saying what happened: expired at its time (EXPORT_TTL_HOURS), or not found in storage. It
   * never says "expired" of a file that was never there.
   */
  async storedFile(job: Pick<Job, 'id' | 'fileName' | 'expiresAt'>, what: string, again: string): Promise<{ name: string; size: number; modified: Date }> {
    if (job.expiresAt && job.expiresAt.getTime() <= Date.now()) {
      throw new AppException('GONE', `The ${what} of job ${job.id} expired at ${job.expiresAt.toISOString()} (EXPORT_TTL_HOURS): ${again}`);
    }
    const found = job.fileName ? await this.files.stat(job.fileName) : null;
    if (!job.fileName) throw new AppException('GONE', `The ${what} of job ${job.id} was not found in storage (the job names no file): ${again}`);
    if (!found) {
      throw new AppException('GONE', `The ${what} of job ${job.id} (${job.fileName}) was not found in storage (${this.files.where}): ${again}`);
    }
    return { name: job.fileName, ...found };
  }

  toView(job: Job): JobView {
    return toJobView(job);
  }
}
