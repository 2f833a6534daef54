import { UploadsInProgress } from '../storage/uploads-in-progress.js';
import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import type { JobProgress } from '../shared/api-types.js';
import { LocalStorage } from '../storage/local-storage.js';
import { TransferError } from '../transfer/errors.js';
import { JobExecutor } from './job-executor.js';
import { JobFiles } from './job-files.js';
import type { JobRunner } from './job-runner.js';
import type { BackupJobResult, Job } from './job-types.js';
import type { FinishedJob, JobRepository } from './job.repository.js';

/** data_jobs in memory: the executor's four queries, and what it wrote. */
class MemoryJobs {
  readonly finished = new Map<string, FinishedJob>();
  readonly heartbeats: (JobProgress | null)[] = [];
  cancelRequested = false;
  private readonly rows = new Map<string, Job<'backup'>>();

  add(id: string, status: Job['status'] = 'queued'): void {
    const now = new Date();
    this.rows.set(id, {
      id,
      type: 'backup',
      status,
      tenantId: null,
      createdBy: null,
      params: { scope: 'full' },
      progress: null,
      result: null,
      error: null,
      fileName: null,
      workerId: null,
      cancelRequested: false,
      createdAt: now,
      updatedAt: now,
      startedAt: null,
      finishedAt: null,
      expiresAt: null,
    });
  }

  claim(id: string): Promise<boolean> {
    const row = this.rows.get(id);
    if (!row || row.status !== 'queued') return Promise.resolve(false);
    row.status = 'running';
    return Promise.resolve(true);
  }

  findById(id: string): Promise<Job | null> {
    return Promise.resolve(this.rows.get(id) ?? null);
  }

  heartbeat(_id: string, progress: JobProgress | null): Promise<boolean> {
    this.heartbeats.push(progress);
    return Promise.resolve(this.cancelRequested);
  }

  finish(id: string, job: FinishedJob): Promise<void> {
    this.finished.set(id, job);
    return Promise.resolve();
  }
}

const RESULT: BackupJobResult = { backupId: 'b', fileName: 'f', sizeBytes: 1, rowCounts: { tenants: 1 }, pruned: 0 };

beforeAll(() => Logger.overrideLogger(false));

describe('JobExecutor', () => {
  let dataDir: string;
  let rows: MemoryJobs;
  let files: JobFiles;
  let executor: JobExecutor;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rythm-executor-'));
    const config = { dataDir, exportTtlHours: 2 } as AppConfig;
    rows = new MemoryJobs();
    await mkdir(join(dataDir, 'jobs'));
    files = new JobFiles(new LocalStorage({ jobs: join(dataDir, 'jobs'), backups: join(dataDir, 'backups') }), new UploadsInProgress());
    executor = new JobExecutor(rows as unknown as JobRepository, files, config);
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs the runner of the job type with its params, and keeps its result and last progress', async () => {
    rows.add('j1');
    const seen: unknown[] = [];
    const runner: JobRunner<'backup'> = (context) => {
      seen.push(context.params);
      context.progress({ phase: 'working', rowsDone: 1 });
      context.progress({ phase: 'working', rowsDone: 2 });
      return Promise.resolve({ result: RESULT });
    };
    executor.register('backup', runner);
    const before = Date.now();
    await executor.execute('j1');
    expect(seen).toEqual([{ scope: 'full' }]);
    const finished = rows.finished.get('j1')!;
    expect(finished).toMatchObject({ status: 'succeeded', result: RESULT, error: null, fileName: null });
    // The second report came within the throttle: only the final row has it.
    expect(finished.progress).toEqual({ phase: 'working', rowsDone: 2 });
    expect(rows.heartbeats).toEqual([{ phase: 'working', rowsDone: 1 }]);
    expect(finished.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 2 * 3600_000);
  });

  it('leaves a job alone that it could not claim (cancelled while queued, or taken)', async () => {
    rows.add('j2', 'cancelled');
    let calls = 0;
    executor.register('backup', () => {
      calls++;
      return Promise.resolve({ result: RESULT });
    });
    await executor.execute('j2');
    expect(calls).toBe(0);
    expect(rows.finished.size).toBe(0);
  });

  it('fails a job whose type has no runner, and one whose runner throws, deleting its outputs', async () => {
    rows.add('j3');
    await executor.execute('j3');
    expect(rows.finished.get('j3')).toMatchObject({ status: 'failed', error: { code: 'INTERNAL', message: 'No runner is registered for backup jobs' } });

    rows.add('j4');
    executor.register('backup', async (context) => {
      // A name from elsewhere is reduced to its base name: it stays in the jobs area.
      const output = context.createOutput('../escape/out.txt');
      await new Promise<void>((resolve) => output.stream.write('partial', () => resolve()));
      expect(existsSync(join(dataDir, 'jobs', 'out.txt'))).toBe(true);
      throw new TransferError('CONFLICT', 'the tenant is busy');
    });
    await executor.execute('j4');
    expect(existsSync(join(dataDir, 'jobs', 'out.txt'))).toBe(false);
    expect(existsSync(join(dataDir, 'escape'))).toBe(false);
    expect(rows.finished.get('j4')).toMatchObject({ status: 'failed', error: { code: 'CONFLICT', message: 'the tenant is busy' }, result: null });
  });

  it('stops a running job when a cancel is read back on its heartbeat, and records it cancelled', async () => {
    rows.add('j5');
    executor.register('backup', async (context) => {
      const output = context.createOutput('cancelled.txt');
      output.stream.end('partial');
      await output.done();
      rows.cancelRequested = true;
      context.progress({ phase: 'next phase', rowsDone: 0 });
      await new Promise((resolve) => context.signal.addEventListener('abort', resolve, { once: true }));
      context.signal.throwIfAborted();
      return { result: RESULT };
    });
    await executor.execute('j5');
    expect(rows.finished.get('j5')).toMatchObject({ status: 'cancelled', error: { code: 'CANCELLED', message: 'The job was cancelled' }, fileName: null });
    expect(existsSync(join(dataDir, 'jobs', 'cancelled.txt'))).toBe(false);
  });

  it('ends a job failed with its result when the runner says so (an invalid import)', async () => {
    rows.add('j6');
    executor.register('backup', () => Promise.resolve({ result: RESULT, status: 'failed', error: { code: 'VALIDATION_FAILED', message: 'bad' } }));
    await executor.execute('j6');
    expect(rows.finished.get('j6')).toMatchObject({ status: 'failed', result: RESULT, error: { code: 'VALIDATION_FAILED', message: 'bad' } });
  });
});
