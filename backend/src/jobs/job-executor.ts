import { Inject, Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { AppException } from '../common/app-exception.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { JobProgress, JobStatus, JobType } from '../shared/api-types.js';
import { TransferError } from '../transfer/errors.js';
import { JobFiles } from './job-files.js';
import type { JobContext, JobOutcome, JobRunner } from './job-runner.js';
import type { JobResults } from './job-types.js';
import type { StorageWriter } from '../storage/storage.js';
import { JobRepository } from './job.repository.js';

type RunnerMap = { [K in JobType]: JobRunner<K> };

const HEARTBEAT_MS = 5_000;
const PROGRESS_EVERY_MS = 250;

/**
 * Runs the jobs the queue delivers: claims the row, calls the job type's runner with a context
 * (progress throttled into the row, a heartbeat, a signal that cancellation aborts), then writes
 * how it ended. Outputs of a job that does not succeed are deleted.
 */
@Injectable()
export class JobExecutor {
  private readonly logger = new Logger('Jobs');
  /** One runner per job type, each typed for its own params and result. */
  private readonly runners: Partial<RunnerMap> = {};
  private readonly running = new Map<string, AbortController>();
  /** This process's jobs carry it, so the janitor can tell its own from a dead process's. */
  readonly workerId = `${hostname()}/${process.pid}/${Date.now().toString(36)}`;

  constructor(
    private readonly repository: JobRepository,
    private readonly files: JobFiles,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  register<T extends JobType>(type: T, runner: JobRunner<T>): void {
    // RunnerMap[T] is JobRunner<T> by definition; TypeScript does not resolve a write through a generic key.
    this.runners[type] = runner as RunnerMap[T];
  }

  /** Asks a job running in this process to stop (it confirms by ending cancelled). */
  cancel(jobId: string): void {
    this.running.get(jobId)?.abort(new AppException('CONFLICT', 'The job was cancelled'));
  }

  /** Stops every job of this process: the server is shutting down. */
  abortAll(): void {
    for (const controller of this.running.values()) controller.abort(new AppException('UNAVAILABLE', 'The server is shutting down'));
  }

  async execute(jobId: string): Promise<void> {
    if (!(await this.repository.claim(jobId, this.workerId))) return; // cancelled while queued, or already taken
    const job = (await this.repository.findById(jobId))!;
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
      const cancelRequested = await this.repository.heartbeat(jobId, lastProgress);
      if (cancelRequested && !controller.signal.aborted) controller.abort(new AppException('CONFLICT', 'The job was cancelled'));
    };
    const heartbeat = setInterval(() => void writeProgress().catch(() => undefined), HEARTBEAT_MS);
    const outputs = new Set<StorageWriter>();
    const context: JobContext = {
      job,
      params: job.params,
      input: null, // looked up below, where a storage error fails the job
      signal: controller.signal,
      progress: (progress) => {
        lastProgress = progress;
        if (progress.phase !== lastPhase || Date.now() - lastWrite >= PROGRESS_EVERY_MS) {
          lastPhase = progress.phase;
          void writeProgress().catch(() => undefined);
        }
      },
      createOutput: (name) => {
        const writer = this.files.writer(name);
        outputs.add(writer);
        return writer;
      },
    };

    let outcome: JobOutcome | null = null;
    let failure: { code: string; message: string } | null = null;
    try {
      context.input = await this.files.source(job.fileName, job.id);
      outcome = await this.run(job.type, context);
    } catch (error) {
      failure = describe(error);
      if (!(error instanceof TransferError)) this.logger.error({ msg: 'job crashed', jobId, error: String(error), stack: (error as Error)?.stack });
    } finally {
      clearInterval(heartbeat);
      this.running.delete(job.id);
    }

    const cancelRequested = controller.signal.aborted && (controller.signal.reason as AppException | undefined)?.code === 'CONFLICT';
    const status: JobStatus = !outcome && cancelRequested ? 'cancelled' : failure || !outcome ? 'failed' : (outcome.status ?? 'succeeded');
    // A cancelled or failed job leaves no output behind.
    if (status !== 'succeeded') for (const output of outputs) await output.abort().catch(() => undefined);
    await this.repository.finish(jobId, {
      status,
      result: outcome?.result ?? null,
      error: status === 'cancelled' ? { code: 'CANCELLED', message: 'The job was cancelled' } : (failure ?? outcome?.error ?? null),
      fileName: status === 'cancelled' ? null : (outcome?.fileName ?? null),
      expiresAt: new Date(Date.now() + this.config.exportTtlHours * 3600_000),
      // The last progress report may have been throttled away: the final row keeps it.
      progress: lastProgress,
    });
    this.logger.log({
      msg: 'job finished',
      jobId,
      type: job.type,
      status,
      durationMs: Date.now() - started,
      rowCounts: rowCountsOf(outcome?.result),
      error: failure?.message,
    });
  }

  /** The job type's runner, on a context of that type. */
  private async run<T extends JobType>(type: T, context: JobContext<T>): Promise<JobOutcome<T>> {
    const runner = this.runners[type];
    if (!runner) throw new AppException('INTERNAL', `No runner is registered for ${type} jobs`);
    return runner(context);
  }
}

function rowCountsOf(result: JobResults[JobType] | undefined): Record<string, number> | undefined {
  return result && 'rowCounts' in result ? result.rowCounts : undefined;
}

function describe(error: unknown): { code: string; message: string } {
  if (error instanceof TransferError) return { code: error.code, message: error.message };
  if (error instanceof Error && error.name === 'AbortError') return { code: 'CANCELLED', message: 'The job was cancelled' };
  return { code: 'INTERNAL', message: `The job failed: ${error instanceof Error ? error.message : String(error)}` };
}
