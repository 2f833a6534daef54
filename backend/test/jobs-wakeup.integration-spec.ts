import { createTestApp, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * Workers wake on NOTIFY when a job is sent; a worker that was busy looks for the next job within
 * half a second of finishing (with NOTIFY on, pg-boss would otherwise wait 30 s before it polls).
 */
describe('job pick-up (real PostgreSQL, one worker)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { JOB_CONCURRENCY: '1' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('starts each queued job within a second of the one before it finishing, and an idle worker’s job at once', async () => {
    const token = await t.token(SYSADMIN);
    const [{ id: harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
    const send = async () =>
      (await t.http.post('/api/exports').set('authorization', `Bearer ${token}`).send({ scope: 'tenant', tenantId: harbor, format: 'json' }).expect(202)).body
        .id as string;
    const ids = await Promise.all([send(), send(), send(), send()]);
    for (const id of ids) expect((await waitForJob(t, token, id)).status).toBe('succeeded');
    const rows: { created_at: Date; started_at: Date; finished_at: Date }[] = await t.dataSource.query(
      `SELECT created_at, started_at, finished_at FROM data_jobs WHERE id = ANY($1) ORDER BY started_at`,
      [ids],
    );
    for (let i = 1; i < rows.length; i++) expect(rows[i].started_at.getTime() - rows[i - 1].finished_at.getTime()).toBeLessThan(1000);
    // Idle again: a new job is taken at once (NOTIFY), not at the next poll.
    const idle = await send();
    await waitForJob(t, token, idle);
    const [one] = await t.dataSource.query(`SELECT extract(epoch FROM started_at - created_at) * 1000 AS waited FROM data_jobs WHERE id = $1`, [idle]);
    expect(Number(one.waited)).toBeLessThan(400);
  });
});
