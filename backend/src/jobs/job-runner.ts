import type { Actor } from '../auth/actor.js';
import type { JobProgress, JobType } from '../shared/api-types.js';
import type { DataJob } from './data-job.entity.js';

/** What a job's code gets from the jobs module while it runs. */
export interface JobContext {
  job: DataJob;
  /** Aborted when someone cancels the job (or the process stops): stop, clean up, throw. */
  signal: AbortSignal;
  /** Cheap to call often: persisted at most a few times a second, and on phase changes. */
  progress(progress: JobProgress): void;
  /**
   * Absolute path for an OUTPUT file in DATA_DIR/jobs, named by the code (never from a request).
   * Outputs of a job that does not succeed (failed, cancelled) are deleted by the jobs module.
   */
  filePath(name: string): string;
  /** Absolute path of the job's INPUT file (an upload given to enqueue), or null. */
  inputPath: string | null;
}

export interface JobOutcome {
  result: Record<string, unknown>;
  /** Output file (in DATA_DIR/jobs) that downloads serve; deleted when the job expires. */
  fileName?: string;
  /** 'failed' lets a job end failed with a result (for example an import whose validation failed). */
  status?: 'succeeded' | 'failed';
  error?: { code: string; message: string };
}

export type JobRunner = (context: JobContext) => Promise<JobOutcome>;

export interface EnqueueRequest {
  type: JobType;
  actor: Actor | null;
  tenantId: string | null;
  params: Record<string, unknown>;
  /** An input file already in DATA_DIR/jobs (an upload). */
  fileName?: string;
}
