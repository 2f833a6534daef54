import type { JobView } from '../../src/shared/api-types.js';
import type { TestApp } from './test-app.js';

/** Polls GET /api/jobs/:id until the job ends (or the deadline passes) and returns it. */
export async function waitForJob(t: TestApp, token: string, jobId: string, timeoutMs = 60_000): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await t.http.get(`/api/jobs/${jobId}`).set('authorization', `Bearer ${token}`);
    if (response.status !== 200) throw new Error(`GET /api/jobs/${jobId} → ${response.status} ${JSON.stringify(response.body)}`);
    const job = response.body as JobView;
    if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
    if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
