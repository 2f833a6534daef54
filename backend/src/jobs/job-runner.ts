import type { Actor } from '../auth/actor.js';
import type { JobProgress, JobType } from '../shared/api-types.js';
import type { StorageWriter } from '../storage/storage.js';
import type { BundleSource } from '../transfer/formats/bundle-source.js';
import type { Job, JobParams, JobResults } from './job-types.js';

/** What a job's code gets from the jobs module while it runs. */
export interface JobContext<T extends JobType = JobType> {
  job: Job<T>;
  /** What the job was asked, as the service queued it (JobParams[T]). */
  params: JobParams[T];
  /** Aborted when someone cancels the job (or the process stops): stop, clean up, throw. */
  signal: AbortSignal;
  /** Cheap to call often: persisted at most a few times a second, and on phase changes. */
  progress(progress: JobProgress): void;
  /**
   * A new OUTPUT file in the storage layer's jobs area, named by the code (never from a request):
   * write its stream, end it, await `done()`. Outputs of a job that does not succeed (failed,
   * cancelled) are deleted by the jobs module.
   */
  createOutput(name: string): StorageWriter;
  /** The job's INPUT file (an upload given to enqueue) as the engine reads it, or null when it is not in storage. */
  input: BundleSource | null;
}

export interface JobOutcome<T extends JobType = JobType> {
  result: JobResults[T];
  /** Output file (in the jobs area of storage) that downloads serve; deleted when the job expires. */
  fileName?: string;
  /** 'failed' lets a job end failed with a result (for example an import whose validation failed). */
  status?: 'succeeded' | 'failed';
  error?: { code: string; message: string };
}

export type JobRunner<T extends JobType = JobType> = (context: JobContext<T>) => Promise<JobOutcome<T>>;

export interface EnqueueRequest<T extends JobType = JobType> {
  type: T;
  actor: Actor | null;
  tenantId: string | null;
  params: JobParams[T];
  /** An input file already in the jobs area of storage (an upload). */
  fileName?: string;
  /**
   * The job whose file this one reuses (applying a dry run): the clean-up cannot remove the file
   * between the check and the new row, as both hold the file's lock (JobRepository.insert).
   */
  reusesFileOf?: string;
  /** Called with the saved row before the queue can hand it to a worker (so the caller can tie state to its id first). */
  beforeQueue?: (job: Job<T>) => void;
}
