import { DataJob } from '../src/jobs/data-job.entity.js';
import { JobJanitor } from '../src/jobs/job-janitor.js';
import type { JobContext } from '../src/jobs/job-runner.js';
import type { BackupJobResult, JobParams } from '../src/jobs/job-types.js';
import { JobsService } from '../src/jobs/jobs.service.js';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

describe('jobs (pg-boss on the real PostgreSQL)', () => {
  let t: TestApp;
  let jobs: JobsService;
  let northside: string;
  let outputOfSlowJob = '';
  beforeAll(async () => {
    t = await createTestApp();
    jobs = t.app.get(JobsService);
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    // Test runners stand in for export/import: the jobs module must not care what a job does
    // (nor what its params and result hold: these are the test's own, cast to the backup's types).
    const mode = (context: JobContext<'backup'>) => (context.params as { mode?: string }).mode;
    jobs.registerRunner('backup', async (context) => {
      if (mode(context) === 'fail') throw new Error('disk on fire');
      if (mode(context) === 'slow') {
        outputOfSlowJob = `slow-${context.job.id}.txt`;
        const output = context.createOutput(outputOfSlowJob);
        output.stream.write('partial');
        for (let i = 0; i < 200 && !context.signal.aborted; i++) {
          context.progress({ phase: 'working', rowsDone: i, rowsTotal: 200 });
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        context.signal.throwIfAborted();
      }
      context.progress({ phase: 'working', table: 'sets', rowsDone: 10, rowsTotal: 10 });
      return { result: { answer: 42 } as unknown as BackupJobResult };
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const enqueue = (params: { mode: string }, tenantId: string | null = null) =>
    jobs.enqueue({ type: 'backup', actor: null, tenantId, params: params as unknown as JobParams['backup'] });

  it('runs a queued job to success and keeps its result and progress', async () => {
    const job = await enqueue({ mode: 'ok' }, northside);
    const token = await t.token(SYSADMIN);
    const done = await waitForJob(t, token, job.id);
    expect(done).toMatchObject({ status: 'succeeded', result: { answer: 42 }, error: null });
    // The last report survives the throttle: a finished job shows where it ended.
    expect(done.progress).toEqual({ phase: 'succeeded', table: 'sets', rowsDone: 10, rowsTotal: 10 });
    expect(done.startedAt).not.toBeNull();
    expect(done.finishedAt).not.toBeNull();
  });

  it('records a crash as failed with the reason, without a stack', async () => {
    const job = await enqueue({ mode: 'fail' });
    const done = await waitForJob(t, await t.token(SYSADMIN), job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toEqual({ code: 'INTERNAL', message: 'The job failed: disk on fire' });
  });

  it('cancels a running job, which then leaves no output file', async () => {
    const token = await t.token(SYSADMIN);
    const job = await enqueue({ mode: 'slow' });
    for (let i = 0; i < 100 && (await jobs.reload(job.id))!.status !== 'running'; i++) await new Promise((r) => setTimeout(r, 50));
    await t.http.post(`/api/jobs/${job.id}/cancel`).set('authorization', `Bearer ${token}`).expect(200);
    const done = await waitForJob(t, token, job.id);
    expect(done.status).toBe('cancelled');
    expect(outputOfSlowJob).not.toBe('');
    expect(await t.stored('jobs', outputOfSlowJob)).toBe(false);
  });

  it('streams progress as server-sent events until the job ends', async () => {
    const token = await t.token(SYSADMIN);
    const job = await enqueue({ mode: 'ok' });
    const response = await t.http
      .get(`/api/jobs/${job.id}/events?access_token=${token}`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
    expect(response.headers['content-type']).toMatch(/text\/event-stream/);
    const events = String(response.body)
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)));
    expect(events.length).toBeGreaterThan(0);
    expect(events[events.length - 1]).toMatchObject({ id: job.id, status: 'succeeded' });
  });

  it('shows an org admin only their own tenant’s jobs, and 403 on another tenant’s job', async () => {
    const own = await enqueue({ mode: 'ok' }, northside);
    const northsideToken = await t.token(NORTHSIDE_ADMIN);
    const list = await t.http.get('/api/jobs?pageSize=100').set('authorization', `Bearer ${northsideToken}`).expect(200);
    expect(list.body.items.every((j: { tenantId: string }) => j.tenantId === northside)).toBe(true);
    expect(list.body.items.map((j: { id: string }) => j.id)).toContain(own.id);
    const harborToken = await t.token(HARBOR_ADMIN);
    await t.http.get(`/api/jobs/${own.id}`).set('authorization', `Bearer ${harborToken}`).expect(403);
    await t.http.get(`/api/jobs/not-a-uuid`).set('authorization', `Bearer ${harborToken}`).expect(400);
    await t.http.get(`/api/jobs/00000000-0000-4000-8000-000000000000`).set('authorization', `Bearer ${harborToken}`).expect(404);
  });

  it('marks a job left running by a dead process as failed at start-up', async () => {
    const repository = t.dataSource.getRepository(DataJob);
    // pid 2^22+1 is above Linux's pid_max default: no such process is alive on this host.
    const orphan = await repository.save(
      repository.create({ type: 'import', status: 'running', params: {}, workerId: `${(await import('node:os')).hostname()}/4194305/x` }),
    );
    const marked = await t.app.get(JobJanitor).failOrphanedJobs();
    expect(marked).toBeGreaterThanOrEqual(1);
    const after = await repository.findOneByOrFail({ id: orphan.id });
    expect(after.status).toBe('failed');
    expect(after.error?.code).toBe('INTERRUPTED');
  });
});
