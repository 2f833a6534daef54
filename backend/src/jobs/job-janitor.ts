import { Injectable, Logger } from '@nestjs/common';
import { hostname } from 'node:os';
import { JobExecutor } from './job-executor.js';
import { JobFiles } from './job-files.js';
import { JobRepository } from './job.repository.js';

/** A running job whose heartbeat is older than this belongs to a dead process. */
const STALE_AFTER_MS = 30_000;
const EXPIRED_FILES_EVERY_MS = 10 * 60_000;

/**
 * Clean-up, at start-up and then on timers: jobs left running by a process that died, and the
 * files of expired jobs.
 */
@Injectable()
export class JobJanitor {
  private readonly logger = new Logger('Jobs');
  private timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly repository: JobRepository,
    private readonly files: JobFiles,
    private readonly executor: JobExecutor,
  ) {}

  start(): void {
    this.timers.push(setInterval(() => void this.failOrphanedJobs().catch((e) => this.logger.warn(String(e))), STALE_AFTER_MS));
    this.timers.push(setInterval(() => void this.removeExpiredFiles().catch((e) => this.logger.warn(String(e))), EXPIRED_FILES_EVERY_MS));
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /**
   * Jobs left `running` by a process that died: PostgreSQL rolled their transactions back; the
   * row must say so. Same host and a dead pid → failed at once; otherwise a stale heartbeat.
   */
  async failOrphanedJobs(): Promise<number> {
    const running = await this.repository.running(STALE_AFTER_MS / 1000);
    const dead = running.filter((job) => job.workerId !== this.executor.workerId && (job.stale || isDeadLocalWorker(job.workerId)));
    if (dead.length === 0) return 0;
    await this.repository.markInterrupted(dead.map((job) => job.id));
    this.logger.warn({ msg: 'orphaned jobs marked failed', jobIds: dead.map((job) => job.id) });
    return dead.length;
  }

  /**
   * Export files and uploads live until their job expires (EXPORT_TTL_HOURS), and longer while a
   * live job still reads them (the apply of a dry run). Safe on several instances: each file is
   * claimed in PostgreSQL first, so one instance deletes it, and deleting an object already gone is
   * no error. The row loses its name before the object goes: a crash between the two leaves an
   * orphan object, never a row that names a missing file as if it were there.
   */
  async removeExpiredFiles(): Promise<number> {
    let removed = 0;
    for (const fileName of await this.repository.expiredFiles()) {
      if (!(await this.repository.claimExpiredFile(fileName))) continue;
      await this.files.remove(fileName);
      removed++;
    }
    if (removed) this.logger.log({ msg: 'expired job files removed', count: removed });
    return removed;
  }
}

function isDeadLocalWorker(workerId: string | null): boolean {
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
