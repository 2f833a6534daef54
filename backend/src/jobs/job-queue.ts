import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { PgBoss } from 'pg-boss';
import { DataSource } from 'typeorm';
import { AppException } from '../common/app-exception.js';

const QUEUE = 'rythm-data-jobs';

/**
 * pg-boss in the same PostgreSQL: it carries job ids to whichever instance has a free worker.
 * What a job is and how it went lives in its `data_jobs` row (JobRepository), not here.
 */
@Injectable()
export class JobQueue {
  private readonly logger = new Logger('Jobs');
  private boss: PgBoss | null = null;
  private stopping = false;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Starts pg-boss and hands every job id it delivers to `work`, `concurrency` at a time. */
  async start(concurrency: number, work: (jobId: string) => Promise<void>): Promise<void> {
    const url = this.dataSource.options.type === 'postgres' ? (this.dataSource.options as { url?: string }).url : undefined;
    // LISTEN/NOTIFY wakes a worker the moment a job is sent instead of at its next poll (up to
    // 0.5 s later): a QA fixture's reset is a job of a few hundred ms. Polling stays as the floor,
    // and is all there is behind a pooler that cannot LISTEN.
    this.boss = new PgBoss({ connectionString: url, schema: 'pgboss', max: 4, application_name: 'rythm-data-jobs', useListenNotify: true });
    // Once stopping, the queue's last connections closing under it are expected, not errors.
    this.boss.on('error', (error) => {
      if (!this.stopping) this.logger.error({ msg: 'pg-boss error', error: String(error) });
    });
    await this.boss.start();
    await this.boss.createQueue(QUEUE, { retryLimit: 0, expireInSeconds: 6 * 3600, notify: true });
    await this.boss.updateQueue(QUEUE, { notify: true }); // a queue made before notify was turned on
    await this.boss.work<{ jobId: string }>(
      QUEUE,
      // NOTIFY wakes an idle worker at once; a busy one looks again 0.5 s after its job (pg-boss's
      // default with NOTIFY would be 30 s: queued jobs would wait that long behind busy workers).
      { localConcurrency: concurrency, batchSize: 1, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5 },
      async ([job]) => {
        await work(job.data.jobId);
      },
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.boss?.stop({ graceful: true, timeout: 10_000 });
    this.boss = null;
  }

  async send(jobId: string): Promise<void> {
    await this.pgBoss.send(QUEUE, { jobId });
  }

  /** The pg-boss instance, for modules that schedule their own work (scheduled backups). */
  get pgBoss(): PgBoss {
    if (!this.boss) throw new AppException('UNAVAILABLE', 'The job queue is not running');
    return this.boss;
  }
}
