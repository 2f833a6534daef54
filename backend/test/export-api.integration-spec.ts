import type { Response } from 'supertest';
import type { JobView } from '../src/shared/api-types.js';
import { parseCsvBundle, parseJsonBundle, parseSqlBundle } from './support/export-helpers.js';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';

const binary = (response: NodeJS.ReadableStream & { setEncoding(e: string): void }, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  response.on('end', () => done(null, Buffer.concat(chunks)));
};

describe('exports API (real PostgreSQL, jobs on pg-boss)', () => {
  let t: TestApp;
  let northside: string;
  let harbor: string;
  const auth = async (email: string) => ({ authorization: `Bearer ${await t.token(email)}` });

  const waitFor = async (jobId: string, email: string): Promise<JobView> => {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const response = await t.http
        .get(`/api/jobs/${jobId}`)
        .set(await auth(email))
        .expect(200);
      const job = response.body as JobView;
      if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const download = async (jobId: string, email: string, headers: Record<string, string> = {}): Promise<Response> =>
    t.http
      .get(`/api/exports/${jobId}/download`)
      .set({ ...(await auth(email)), ...headers })
      .buffer(true)
      .parse(binary as never);
  const start = async (email: string, body: Record<string, unknown>) =>
    t.http
      .post('/api/exports')
      .set(await auth(email))
      .send(body);

  beforeAll(async () => {
    t = await createTestApp();
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    [{ id: harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
  });
  afterAll(async () => {
    await t.close();
  });

  it('a system admin exports northside as gzip JSON: 202 with a job, it succeeds, the download has a meaningful name and a valid bundle', async () => {
    const created = await start(SYSADMIN, { scope: 'tenant', tenantId: northside, format: 'json', compress: true });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ type: 'export', status: 'queued', tenantId: northside });
    const job = await waitFor(created.body.id, SYSADMIN);
    expect(job).toMatchObject({ status: 'succeeded', error: null });
    expect(job.result).toMatchObject({
      fileName: expect.stringMatching(/^rythm-northside-tenant-\d{8}T\d{6}Z\.json\.gz$/),
      sizeBytes: expect.any(Number),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(job.progress).toMatchObject({ rowsDone: expect.any(Number) });

    const response = await download(job.id, SYSADMIN);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="${job.result!.fileName as string}"`);
    expect(response.headers['content-type']).toMatch(/^application\/gzip/);
    const file = response.body as Buffer;
    expect(file.length).toBe(job.result!.sizeBytes);
    const bundle = parseJsonBundle(file);
    expect(bundle.recomputedSha256).toBe(bundle.summary.sha256);
    expect(response.headers['x-bundle-sha256']).toBe(bundle.summary.sha256);
    expect(bundle.summary.rowCounts).toEqual(job.result!.rowCounts);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM sets WHERE tenant_id = $1`, [northside]);
    expect(bundle.summary.rowCounts.sets).toBe(n);

    const audit: { action: string; outcome: string }[] = await t.dataSource.query(
      `SELECT action, outcome FROM audit_log WHERE action LIKE 'export.%' ORDER BY id`,
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'export.create', outcome: 'success' },
        { action: 'export.download', outcome: 'success' },
      ]),
    );
  });

  it('an org admin exports their own tenant (tenantId optional) as CSV and downloads a .zip; the other org admin may not download it', async () => {
    const created = await start(NORTHSIDE_ADMIN, { scope: 'tenant', format: 'csv', anonymize: true });
    expect(created.status).toBe(202);
    expect(created.body.tenantId).toBe(northside);
    const job = await waitFor(created.body.id, NORTHSIDE_ADMIN);
    expect(job.status).toBe('succeeded');
    const response = await download(job.id, NORTHSIDE_ADMIN);
    expect(response.status).toBe(200);
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="rythm-northside-tenant-\d{8}T\d{6}Z\.zip"$/);
    const bundle = await parseCsvBundle(response.body as Buffer);
    expect(bundle.recomputedSha256).toBe(bundle.summary.sha256);
    expect(bundle.manifest.options).toMatchObject({ anonymize: true });
    const other = await download(job.id, HARBOR_ADMIN);
    expect(other.status).toBe(403);
  });

  it('a system admin exports global and full scope as SQL named rythm-global-… and rythm-full-…', async () => {
    for (const scope of ['global', 'full'] as const) {
      const created = await start(SYSADMIN, { scope, format: 'sql' });
      expect(created.status).toBe(202);
      const job = await waitFor(created.body.id, SYSADMIN);
      expect(job.status).toBe('succeeded');
      const response = await download(job.id, SYSADMIN);
      expect(response.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="rythm-${scope}-\\d{8}T\\d{6}Z\\.sql"$`));
      const bundle = parseSqlBundle(response.body as Buffer);
      expect(bundle.recomputedSha256).toBe(bundle.summary.sha256);
      expect(bundle.manifest.scope).toBe(scope);
    }
  });

  describe('access', () => {
    let jobsBefore = 0;
    const exportJobs = async () => (await t.dataSource.query(`SELECT count(*)::int AS n FROM data_jobs WHERE type = 'export'`))[0].n as number;
    beforeEach(async () => {
      jobsBefore = await exportJobs();
    });
    afterEach(async () => {
      // A refused request never leaves a job behind.
      expect(await exportJobs()).toBe(jobsBefore);
    });

    it('org admin naming another tenant → 403 TENANT_FORBIDDEN', async () => {
      const response = await start(NORTHSIDE_ADMIN, { scope: 'tenant', tenantId: harbor, format: 'json' });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('TENANT_FORBIDDEN');
    });

    it.each(['global', 'full'])('org admin asking for %s scope → 403', async (scope) => {
      const response = await start(NORTHSIDE_ADMIN, { scope, format: 'json' });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('org admin asking for credentials → 403, even for their own tenant', async () => {
      const response = await start(NORTHSIDE_ADMIN, { scope: 'tenant', tenantId: northside, format: 'sql', includeCredentials: true });
      expect(response.status).toBe(403);
      expect(response.body.message).toMatch(/credentials/);
    });

    it('unknown tenant → 404', async () => {
      const response = await start(SYSADMIN, { scope: 'tenant', tenantId: '00000000-0000-4000-8000-000000000000', format: 'json' });
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    });

    it('an athlete → 403; no token → 401', async () => {
      expect((await start('athlete1@northside.example', { scope: 'tenant', format: 'json' })).status).toBe(403);
      expect((await t.http.post('/api/exports').send({ scope: 'tenant', format: 'json' })).status).toBe(401);
    });
  });

  describe('bad input → 400 naming the field', () => {
    it.each([
      [{ scope: 'tenant', format: 'xml' }, 'format'],
      [{ scope: 'planet', format: 'json' }, 'scope'],
      [{ scope: 'tenant', tenantId: 'not-a-uuid', format: 'json' }, 'tenantId'],
      [{ scope: 'tenant', format: 'json', compress: 'yes' }, 'compress'],
      [{ scope: 'tenant', format: 'json', include: { users: 'no' } }, 'include.users'],
      [{ scope: 'tenant', format: 'json', dateRange: { from: 'yesterday' } }, 'dateRange.from'],
      [{ scope: 'tenant', format: 'json', dateRange: { from: '2026-08-01', to: '2026-07-01' } }, 'dateRange.to'],
      [{ scope: 'tenant', format: 'json', modifiedSince: '2026-13-45' }, 'modifiedSince'],
      [{ scope: 'tenant', format: 'json', shoeSize: 44 }, 'property'],
    ])('%j → 400 on %s', async (body, field) => {
      const response = await start(SYSADMIN, { tenantId: northside, ...body });
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('BAD_REQUEST');
      expect(response.body.fields.map((f: { field: string }) => f.field)).toContain(field);
    });

    it('anonymize with includeCredentials → 400 naming includeCredentials', async () => {
      const response = await start(SYSADMIN, { scope: 'tenant', tenantId: northside, format: 'json', anonymize: true, includeCredentials: true });
      expect(response.status).toBe(400);
      expect(response.body.fields).toEqual([{ field: 'includeCredentials', message: expect.any(String) }]);
    });

    it('a tenantId with global scope → 400', async () => {
      const response = await start(SYSADMIN, { scope: 'global', tenantId: northside, format: 'json' });
      expect(response.status).toBe(400);
      expect(response.body.fields[0].field).toBe('tenantId');
    });
  });

  describe('download states', () => {
    const insertJob = async (status: string, tenantId: string | null = northside) => {
      const [{ id }] = await t.dataSource.query(`INSERT INTO data_jobs (type, status, tenant_id, params) VALUES ('export', $1, $2, '{}') RETURNING id`, [
        status,
        tenantId,
      ]);
      return id as string;
    };

    it('409 JOB_NOT_FINISHED while the export is queued or running, and when it failed', async () => {
      for (const status of ['queued', 'running', 'failed']) {
        const response = await download(await insertJob(status), SYSADMIN);
        expect({ status, code: response.status, body: JSON.parse(response.body.toString()).code }).toEqual({ status, code: 409, body: 'JOB_NOT_FINISHED' });
      }
    });

    it('resumes a download with Range: 206 and Content-Range, the last bytes, 416 past the end, the whole file when the validator changed', async () => {
      const created = await start(SYSADMIN, { scope: 'tenant', tenantId: northside, format: 'sql' });
      const job = await waitFor(created.body.id, SYSADMIN);
      const whole = await download(job.id, SYSADMIN);
      expect(whole.status).toBe(200);
      expect(whole.headers['accept-ranges']).toBe('bytes');
      const file = whole.body as Buffer;
      const size = file.length;

      const middle = await download(job.id, SYSADMIN, { range: 'bytes=100-1099' });
      expect(middle.status).toBe(206);
      expect(middle.headers['content-range']).toBe(`bytes 100-1099/${size}`);
      expect(middle.headers['content-length']).toBe('1000');
      expect(middle.headers['content-disposition']).toBe(whole.headers['content-disposition']);
      expect((middle.body as Buffer).equals(file.subarray(100, 1100))).toBe(true);

      // A resume: from an offset to the end, under the ETag of the first answer.
      const rest = await download(job.id, SYSADMIN, { range: `bytes=${size - 10}-`, 'if-range': whole.headers.etag });
      expect(rest.status).toBe(206);
      expect((rest.body as Buffer).equals(file.subarray(size - 10))).toBe(true);
      const tail = await download(job.id, SYSADMIN, { range: 'bytes=-5' });
      expect(tail.headers['content-range']).toBe(`bytes ${size - 5}-${size - 1}/${size}`);
      expect((tail.body as Buffer).equals(file.subarray(size - 5))).toBe(true);
      // An end past the file is cut to it.
      const past = await download(job.id, SYSADMIN, { range: `bytes=${size - 3}-${size + 100}` });
      expect(past.headers['content-range']).toBe(`bytes ${size - 3}-${size - 1}/${size}`);

      const beyond = await download(job.id, SYSADMIN, { range: `bytes=${size}-` });
      expect(beyond.status).toBe(416);
      expect(beyond.headers['content-range']).toBe(`bytes */${size}`);
      expect(JSON.parse(beyond.body.toString())).toMatchObject({ statusCode: 416, code: 'RANGE_NOT_SATISFIABLE' });

      // Another file under the name (a stale validator) or a header that does not parse: the whole file.
      const stale = await download(job.id, SYSADMIN, { range: 'bytes=0-9', 'if-range': '"something-else"' });
      expect(stale.status).toBe(200);
      expect((stale.body as Buffer).length).toBe(size);
      expect((await download(job.id, SYSADMIN, { range: 'lines=1-2' })).status).toBe(200);
      const audit: { n: number }[] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'export.download' AND params->>'jobId' = $1`,
        [job.id],
      );
      expect(audit[0].n).toBe(8); // every request of a download is audited, ranges too
    });

    it('410 GONE once the file has expired or is gone', async () => {
      const created = await start(SYSADMIN, { scope: 'global', format: 'json' });
      const job = await waitFor(created.body.id, SYSADMIN);
      expect((await download(job.id, SYSADMIN)).status).toBe(200);
      await t.dataSource.query(`UPDATE data_jobs SET expires_at = now() - interval '1 minute' WHERE id = $1`, [job.id]);
      const expired = await download(job.id, SYSADMIN);
      expect(expired.status).toBe(410);
      expect(JSON.parse(expired.body.toString())).toMatchObject({ code: 'GONE', message: expect.stringMatching(/expired at \d{4}-\d\d-\d\dT/) });
      await t.dataSource.query(`UPDATE data_jobs SET expires_at = now() + interval '1 hour' WHERE id = $1`, [job.id]);
      const [{ file_name }] = await t.dataSource.query(`SELECT file_name FROM data_jobs WHERE id = $1`, [job.id]);
      expect(await t.stored('jobs', file_name)).toBe(true);
      await t.storage.delete('jobs', file_name);
      // A file that is not there was never "expired": the answer says what happened.
      const missing = await download(job.id, SYSADMIN);
      expect(missing.status).toBe(410);
      const message = (JSON.parse(missing.body.toString()) as { message: string }).message;
      expect(message).toContain(`(${file_name}) was not found in storage`);
      expect(message).not.toContain('expired');
    });

    it('404 for an unknown job and for a job that is not an export', async () => {
      expect((await download('00000000-0000-4000-8000-000000000000', SYSADMIN)).status).toBe(404);
      const [{ id }] = await t.dataSource.query(`INSERT INTO data_jobs (type, status, params) VALUES ('import', 'succeeded', '{}') RETURNING id`);
      expect((await download(id, SYSADMIN)).status).toBe(404);
    });
  });

  describe('GET /api/tenants', () => {
    it('a system admin sees every tenant with user, session and set counts', async () => {
      const response = await t.http
        .get('/api/tenants')
        .set(await auth(SYSADMIN))
        .expect(200);
      const expected: { id: string; users: number; sessions: number; sets: number }[] = await t.dataSource.query(
        `SELECT t.id, (SELECT count(*)::int FROM users WHERE tenant_id = t.id) AS users, (SELECT count(*)::int FROM sessions WHERE tenant_id = t.id) AS sessions, (SELECT count(*)::int FROM sets WHERE tenant_id = t.id) AS sets FROM tenants t`,
      );
      expect(response.body).toHaveLength(2);
      for (const row of expected) expect(response.body).toContainEqual(expect.objectContaining(row));
      expect(response.body.map((r: { slug: string }) => r.slug).sort()).toEqual(['harbor', 'northside']);
      expect(response.body[0].sets).toBeGreaterThan(0);
    });

    it('an org admin sees only their own tenant', async () => {
      const response = await t.http
        .get('/api/tenants')
        .set(await auth(HARBOR_ADMIN))
        .expect(200);
      expect(response.body.map((r: { id: string }) => r.id)).toEqual([harbor]);
    });
  });
});
