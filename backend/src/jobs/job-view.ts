import type { JobView } from '../shared/api-types.js';
import type { DataJob } from './data-job.entity.js';

/** A job's row as the API shows it. */
export function toJobView(job: DataJob): JobView {
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
