import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { inTransaction } from '../common/transaction.js';
import type { JobProgress, JobStatus, JobType } from '../shared/api-types.js';
import { DataJob } from './data-job.entity.js';
import type { Job, JobParams, JobResults } from './job-types.js';

export interface NewJob<T extends JobType> {
  type: T;
  tenantId: string | null;
  createdBy: string | null;
  params: JobParams[T];
  fileName: string | null;
}

export interface JobFilter {
  /** Null: every tenant's jobs. */
  tenantId: string | null;
  type?: JobType;
  status?: JobStatus;
  page: number;
  pageSize: number;
}

export interface FinishedJob {
  status: JobStatus;
  result: JobResults[JobType] | null;
  error: { code: string; message: string } | null;
  /** Null keeps the row's file (an upload); a name replaces it (an export's output). */
  fileName: string | null;
  expiresAt: Date;
  /** The last progress report, which the throttle may have kept from the row. */
  progress: JobProgress | null;
}

/**
 * The one place where a row's jsonb becomes typed: `params` was written by `insert` as
 * JobParams[type], `result` by `finish` as JobResults[type], and nothing else writes them.
 */
function typed<T extends JobType>(row: DataJob): Job<T> {
  return row as Job<T>;
}

/** Every query of `data_jobs`: the row that tells a job's story (status, progress, result). */
@Injectable()
export class JobRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Saves a queued job. `admit` runs first, in the row's own transaction (take a transaction
   * lock, count, throw to refuse): a limit and the row it admits commit together.
   */
  async insert<T extends JobType>(job: NewJob<T>, admit?: (runner: QueryRunner) => Promise<void>): Promise<Job<T>> {
    const row = await inTransaction(this.dataSource, async (runner) => {
      await admit?.(runner);
      const repository = runner.manager.getRepository(DataJob);
      return repository.save(repository.create({ ...job, status: 'queued', progress: { phase: 'queued', rowsDone: 0 } }));
    });
    return typed<T>(row);
  }

  async findById(id: string): Promise<Job | null> {
    const row = await this.dataSource.getRepository(DataJob).findOne({ where: { id } });
    return row ? typed(row) : null;
  }

  async page(filter: JobFilter): Promise<[Job[], number]> {
    const query = this.dataSource.getRepository(DataJob).createQueryBuilder('j').orderBy('j.created_at', 'DESC');
    if (filter.tenantId !== null) query.andWhere('j.tenant_id = :tenant', { tenant: filter.tenantId });
    if (filter.type) query.andWhere('j.type = :type', { type: filter.type });
    if (filter.status) query.andWhere('j.status = :status', { status: filter.status });
    const [rows, total] = await query
      .skip((filter.page - 1) * filter.pageSize)
      .take(filter.pageSize)
      .getManyAndCount();
    return [rows.map((row) => typed(row)), total];
  }

  /** A queued job is cancelled at once; a running one is asked to stop and confirms itself. */
  async requestCancel(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE data_jobs SET cancel_requested = true,
         status = CASE WHEN status = 'queued' THEN 'cancelled' ELSE status END,
         finished_at = CASE WHEN status = 'queued' THEN now() ELSE finished_at END,
         updated_at = now()
       WHERE id = $1`,
      [id],
    );
  }

  /** Takes a queued job for this worker; false when it was cancelled while queued, or already taken. */
  async claim(id: string, workerId: string): Promise<boolean> {
    const claimed = await this.dataSource
      .getRepository(DataJob)
      .createQueryBuilder()
      .update()
      .set({ status: 'running', startedAt: () => 'now()', workerId, updatedAt: () => 'now()', progress: { phase: 'starting', rowsDone: 0 } })
      .where('id = :id AND status = :queued', { id, queued: 'queued' })
      .returning('*')
      .execute()
      .then((r) => r.raw as unknown[]);
    return claimed.length > 0;
  }

  /**
   * The heartbeat, with the latest progress if any; returns whether someone asked the job to
   * stop (cancellation requested elsewhere is read back on the same write).
   */
  async heartbeat(id: string, progress: JobProgress | null): Promise<boolean> {
    const rows: { cancel_requested: boolean }[] = await this.dataSource.query(
      `UPDATE data_jobs SET progress = coalesce($2::jsonb, progress), updated_at = now() WHERE id = $1 RETURNING cancel_requested`,
      [id, progress ? JSON.stringify(progress) : null],
    );
    return rows[0]?.cancel_requested === true;
  }

  async finish(id: string, job: FinishedJob): Promise<void> {
    await this.dataSource.query(
      `UPDATE data_jobs SET status = $2, result = $3, error = $4, file_name = coalesce($5, file_name), finished_at = now(), updated_at = now(), expires_at = $6,
         progress = jsonb_set(coalesce($7::jsonb, progress, '{}'), '{phase}', to_jsonb($2::text))
       WHERE id = $1`,
      [
        id,
        job.status,
        job.result ? JSON.stringify(job.result) : null,
        job.error ? JSON.stringify(job.error) : null,
        job.fileName,
        job.expiresAt,
        job.progress ? JSON.stringify(job.progress) : null,
      ],
    );
  }

  /** Jobs in `running`, with whether their heartbeat is older than `staleAfterSeconds`. */
  async running(staleAfterSeconds: number): Promise<{ id: string; workerId: string | null; stale: boolean }[]> {
    const rows: { id: string; worker_id: string | null; stale: boolean }[] = await this.dataSource.query(
      `SELECT id, worker_id, updated_at < now() - make_interval(secs => $1) AS stale FROM data_jobs WHERE status = 'running'`,
      [staleAfterSeconds],
    );
    return rows.map((row) => ({ id: row.id, workerId: row.worker_id, stale: row.stale }));
  }

  /** Fails jobs whose process stopped: PostgreSQL rolled their transactions back. */
  async markInterrupted(ids: string[]): Promise<void> {
    await this.dataSource.query(
      `UPDATE data_jobs SET status = 'failed', finished_at = now(), updated_at = now(),
         error = '{"code":"INTERRUPTED","message":"The process running this job stopped; its changes were rolled back"}'
       WHERE id = ANY($1) AND status = 'running'`,
      [ids],
    );
  }

  /**
   * Files whose every job has expired: no queued or running job reads them, and no live job (one
   * not yet expired, such as the apply of a dry run) names them.
   */
  async expiredFiles(): Promise<string[]> {
    const rows: { file_name: string }[] = await this.dataSource.query(
      `SELECT DISTINCT j.file_name FROM data_jobs j
       WHERE j.expires_at < now() AND j.file_name IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM data_jobs k WHERE k.file_name = j.file_name AND ${LIVE_JOB})`,
    );
    return rows.map((row) => row.file_name);
  }

  /**
   * Takes an expired file off its jobs' rows, under the file's lock (which enqueueing a job that
   * reuses the file takes too): true when this call did, so the caller deletes the object. Another
   * instance that got there first, or a job that now reads the file, makes it false.
   */
  async claimExpiredFile(fileName: string): Promise<boolean> {
    return inTransaction(this.dataSource, async (runner) => {
      await runner.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [FILE_LOCK_NAMESPACE, fileName]);
      const [, claimed]: [unknown[], number] = await runner.query(
        `UPDATE data_jobs SET file_name = NULL, updated_at = now()
         WHERE file_name = $1 AND expires_at < now()
           AND NOT EXISTS (SELECT 1 FROM data_jobs k WHERE k.file_name = $1 AND ${LIVE_JOB})
         RETURNING id`,
        [fileName],
      );
      return claimed > 0;
    });
  }

  /** In the caller's transaction: the file's lock, then whether the job still holds its file. */
  async lockFileOf(runner: QueryRunner, jobId: string): Promise<{ fileName: string | null; expiresAt: Date | null }> {
    const rows: { file_name: string | null; expires_at: Date | null }[] = await runner.query(`SELECT file_name, expires_at FROM data_jobs WHERE id = $1`, [
      jobId,
    ]);
    const fileName = rows[0]?.file_name ?? null;
    if (!fileName) return { fileName: null, expiresAt: rows[0]?.expires_at ?? null };
    await runner.query(`SELECT pg_advisory_xact_lock($1, hashtext($2))`, [FILE_LOCK_NAMESPACE, fileName]);
    // Read again under the lock: the clean-up may have taken the file meanwhile.
    const again: { file_name: string | null; expires_at: Date | null }[] = await runner.query(`SELECT file_name, expires_at FROM data_jobs WHERE id = $1`, [
      jobId,
    ]);
    return { fileName: again[0]?.file_name ?? null, expiresAt: again[0]?.expires_at ?? null };
  }
}

/** Advisory-lock namespace of job files, beside the import (726_339_300/301) and backup (302) ones. */
const FILE_LOCK_NAMESPACE = 726_339_303;
/** A job that may still read its file: not finished, or finished and not yet expired. */
const LIVE_JOB = `(k.status IN ('queued', 'running') OR k.expires_at IS NULL OR k.expires_at >= now())`;
