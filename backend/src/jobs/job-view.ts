import type { JobView } from '../shared/api-types.js';
import type { Job } from './job-types.js';

/** A job's row as the API shows it (params and result as plain copies of what the job stored). */
export function toJobView(job: Job): JobView {
  return {
    id: job.id,
    type: job.type,
    status: job.status,
    tenantId: job.tenantId,
    createdBy: job.createdBy,
    params: { ...job.params },
    progress: job.progress,
    result: job.result ? { ...job.result } : null,
    error: job.error,
    createdAt: job.createdAt.toISOString(),
    startedAt: job.startedAt?.toISOString() ?? null,
    finishedAt: job.finishedAt?.toISOString() ?? null,
  };
}
