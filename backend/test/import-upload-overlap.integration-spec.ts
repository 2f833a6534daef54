import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { JobView } from '../src/shared/api-types.js';
import { binary } from './support/http.js';
import { tableChecksums } from './support/import-helpers.js';
import { createTestApp, SYSADMIN, type TestApp } from './support/test-app.js';
import { testsUseS3 } from './support/test-storage.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * POST /api/imports whose fields come before the file (as the CLI sends them): the job starts
 * while the file still arrives and reads it as it comes, but counts it whole only once the request
 * ended well. Real HTTP with a body the test sends piece by piece, so it can stop half-way.
 */
const describeLocal = testsUseS3() ? describe.skip : describe; // s3: an object exists only whole, no job starts early
describeLocal('an import job that reads its upload as it arrives', () => {
  let t: TestApp;
  let base: string;
  let token: string;
  let pool: pg.Pool;
  let bundle: Buffer;
  let northside: string;
  let harbor: string;
  const BOUNDARY = 'rythm-test-boundary';

  beforeAll(async () => {
    t = await createTestApp();
    base = await t.listen();
    token = await t.token(SYSADMIN);
    pool = new pg.Pool({ connectionString: t.db.url, max: 2 });
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    [{ id: harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
    const created = await t.http.post('/api/exports').set('authorization', `Bearer ${token}`).send({ scope: 'tenant', tenantId: northside, format: 'sql' });
    await waitForJob(t, token, created.body.id);
    bundle = (
      await t.http
        .get(`/api/exports/${created.body.id as string}/download`)
        .set('authorization', `Bearer ${token}`)
        .buffer(true)
        .parse(binary as never)
    ).body as Buffer;
  });
  afterAll(async () => {
    await pool.end();
    await t.close();
  });

  const field = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
  const fileHead = `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="northside.sql"\r\nContent-Type: application/sql\r\n\r\n`;
  /** Sends the parts in order; `pause` (a promise) holds the body after the file's first half. */
  const post = (before: string[], after: string[], pause: Promise<void>, signal?: AbortSignal) => {
    const half = Math.floor(bundle.length / 2);
    const parts: (Buffer | Promise<void>)[] = [
      Buffer.from(before.join('') + fileHead),
      bundle.subarray(0, half),
      pause,
      bundle.subarray(half),
      Buffer.from(`\r\n${after.join('')}--${BOUNDARY}--\r\n`),
    ];
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = parts.shift();
        if (next === undefined) return controller.close();
        if (next instanceof Buffer) controller.enqueue(new Uint8Array(next));
        else await next;
      },
    });
    return fetch(`${base}/api/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body,
      duplex: 'half',
      signal,
    });
  };
  const importJobs = async (): Promise<{ id: string; status: string; error: { message: string } | null; phase: string | null }[]> =>
    t.dataSource.query(`SELECT id, status, error, progress->>'phase' AS phase FROM data_jobs WHERE type = 'import' ORDER BY created_at`);
  const until = async <T>(what: string, probe: () => Promise<T | null | undefined>): Promise<T> => {
    for (let i = 0; i < 600; i++) {
      const found = await probe();
      if (found) return found;
      await sleep(50);
    }
    throw new Error(`timed out waiting for ${what}; the import jobs: ${JSON.stringify(await importJobs())}`);
  };
  const editNote = async () => {
    const [{ id }] = await t.dataSource.query(`SELECT id FROM sessions WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [northside]);
    await t.dataSource.query(`UPDATE sessions SET notes = 'edited after the export' WHERE id = $1`, [id]);
    return async () => (await t.dataSource.query<{ notes: string | null }[]>(`SELECT notes FROM sessions WHERE id = $1`, [id]))[0].notes;
  };
  const fieldsFirst = [field('scope', 'tenant'), field('strategy', 'merge'), field('dryRun', 'false')];

  it('fields first: the job runs while the file is half sent, writes nothing until the upload is whole, then imports it', async () => {
    const note = await editNote();
    const before = await tableChecksums(pool);
    const known = new Set((await importJobs()).map((j) => j.id));
    let release!: () => void;
    const pending = post(fieldsFirst, [], new Promise<void>((resolve) => (release = resolve)));
    const early = await until('the job to read the upload', async () => (await importJobs()).find((j) => !known.has(j.id) && j.status === 'running'));
    await sleep(500); // the job has read all it can of the first half, and waits for the rest
    expect(await tableChecksums(pool)).toEqual(before);
    expect((await importJobs()).find((j) => j.id === early.id)).toMatchObject({ status: 'running', phase: 'reading' });
    release();
    const response = await pending;
    expect(response.status).toBe(202);
    const view = (await response.json()) as JobView;
    expect(view.id).toBe(early.id); // the answer is the job that was already running
    const done = await waitForJob(t, token, view.id);
    expect(done.status).toBe('succeeded');
    expect(await note()).not.toBe('edited after the export');
    expect((await importJobs()).filter((j) => !known.has(j.id))).toHaveLength(1);
  });

  it('an upload cut off half-way fails its job, and nothing was written', async () => {
    await editNote();
    const before = await tableChecksums(pool);
    const known = new Set((await importJobs()).map((j) => j.id));
    const abort = new AbortController();
    const pending = post(fieldsFirst, [], new Promise<void>(() => undefined), abort.signal).catch((error: unknown) => error);
    const early = await until('the job to read the upload', async () => (await importJobs()).find((j) => !known.has(j.id) && j.status === 'running'));
    abort.abort();
    await pending;
    const ended = await until('the job to fail', async () => (await importJobs()).find((j) => j.id === early.id && j.status !== 'running'));
    expect(ended.status).toBe('failed');
    expect(ended.error?.message).toMatch(/^The upload (was interrupted|request was refused|request ended).*nothing was imported/);
    expect(await tableChecksums(pool)).toEqual(before);
  });

  it('a field after the file replaces the early job: it fails having written nothing, the final fields decide', async () => {
    const note = await editNote();
    const before = await tableChecksums(pool);
    const known = new Set((await importJobs()).map((j) => j.id));
    // Valid alone (merge into the bundle's tenant), but the whole form targets harbor.
    const response = await post(fieldsFirst, [field('targetTenantId', harbor)], sleep(300));
    expect(response.status).toBe(202);
    const final = (await response.json()) as JobView;
    expect((await waitForJob(t, token, final.id)).status).toBe('failed'); // a northside bundle into harbor: validation refuses it
    const jobs = (await importJobs()).filter((j) => !known.has(j.id));
    expect(jobs).toHaveLength(2);
    const early = await until('the early job to end', async () =>
      (await importJobs()).find((j) => j.id === jobs[0].id && j.status !== 'running' && j.status !== 'queued'),
    );
    expect(early.status).toBe('failed');
    expect(early.error?.message).toContain('The form had fields after the file');
    expect(await note()).toBe('edited after the export');
    expect(await tableChecksums(pool)).toEqual(before);
  });

  it('the file first (as browsers send the form): no job until the upload is whole', async () => {
    const known = new Set((await importJobs()).map((j) => j.id));
    let release!: () => void;
    const pending = post(
      [],
      [field('scope', 'tenant'), field('strategy', 'merge'), field('dryRun', 'true')],
      new Promise<void>((resolve) => (release = resolve)),
    );
    await sleep(500);
    expect((await importJobs()).filter((j) => !known.has(j.id))).toEqual([]);
    release();
    const response = await pending;
    expect(response.status).toBe(202);
    expect((await waitForJob(t, token, ((await response.json()) as JobView).id)).status).toBe('succeeded');
  });
});
