import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportReport, JobView } from '../src/shared/api-types.js';
import { pgPool } from '../src/common/pg-pool.js';
import { exportBundle } from '../src/transfer/export/export-bundle.js';
import { normaliseExport } from '../src/transfer/export/export-selection.js';
import { offlineDomainTables } from '../src/database/offline-tables.js';
import { tableChecksums } from './support/import-helpers.js';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'import');

/** POST /api/imports and friends, through Nest, multer and the jobs module. */
describe('imports API', () => {
  let t: TestApp;
  let northside: string;
  let harbor: string;
  let dir: string;
  let northsideBundle: string;
  const auth = async (email: string) => ({ authorization: `Bearer ${await t.token(email)}` });

  const upload = async (email: string, path: string, fields: Record<string, string>) => {
    const request = t.http.post('/api/imports').set(await auth(email));
    for (const [key, value] of Object.entries(fields)) request.field(key, value);
    return request.attach('file', path);
  };
  const waitFor = async (jobId: string, email: string): Promise<JobView> => {
    const deadline = Date.now() + 45_000;
    for (;;) {
      const job = (
        await t.http
          .get(`/api/jobs/${jobId}`)
          .set(await auth(email))
          .expect(200)
      ).body as JobView;
      if (['succeeded', 'failed', 'cancelled'].includes(job.status)) return job;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const report = async (jobId: string, email: string) =>
    (
      await t.http
        .get(`/api/imports/${jobId}/report`)
        .set(await auth(email))
        .expect(200)
    ).body as ImportReport;

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_UPLOAD_MB: '1' } });
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    [{ id: harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
    dir = await mkdtemp(join(tmpdir(), 'rythm-import-api-'));
    northsideBundle = join(dir, 'northside.sql.gz');
    await exportBundle(
      pgPool(t.dataSource),
      normaliseExport({ scope: 'tenant', tenantId: northside, format: 'sql', compress: true }),
      createWriteStream(northsideBundle),
      {
        tables: await offlineDomainTables(),
      },
    );
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("an org admin dry-runs their own tenant's bundle, reads the report, then applies it (once): a pre-import backup comes first", async () => {
    const pool = pgPool(t.dataSource);
    const before = await tableChecksums(pool);
    const created = await upload(NORTHSIDE_ADMIN, northsideBundle, { scope: 'tenant', strategy: 'merge', dryRun: 'true' });
    expect(created.status).toBe(202);
    expect(created.body).toMatchObject({ type: 'import', status: 'queued', tenantId: northside });
    const job = await waitFor(created.body.id, NORTHSIDE_ADMIN);
    expect(job).toMatchObject({ status: 'succeeded', error: null });
    const dry = await report(job.id, NORTHSIDE_ADMIN);
    expect(dry).toMatchObject({
      jobId: job.id,
      status: 'succeeded',
      dryRun: true,
      valid: true,
      applied: false,
      targetTenantId: northside,
      backupId: null,
      errors: [],
    });
    expect(dry.plan.find((p) => p.table === 'sets')).toMatchObject({ insert: 0, update: 0, delete: 0 });
    expect(await tableChecksums(pool)).toEqual(before);

    const applied = await t.http.post(`/api/imports/${job.id}/apply`).set(await auth(NORTHSIDE_ADMIN));
    expect(applied.status).toBe(202);
    expect(applied.body.params).toMatchObject({ dryRun: false, strategy: 'merge', appliesJobId: job.id });
    const real = await waitFor(applied.body.id, NORTHSIDE_ADMIN);
    expect(real.status).toBe('succeeded');
    const final = await report(real.id, NORTHSIDE_ADMIN);
    expect(final).toMatchObject({ dryRun: false, valid: true, applied: true, plan: dry.plan });
    const again = await t.http.post(`/api/imports/${real.id}/apply`).set(await auth(NORTHSIDE_ADMIN));
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('was not a dry run');
    const [backup] = await t.dataSource.query(`SELECT kind, scope, tenant_id, job_id FROM backups WHERE id = $1`, [final.backupId]);
    expect(backup).toEqual({ kind: 'pre-import', scope: 'tenant', tenant_id: northside, job_id: real.id });
    // The import is in the audit log, dry run included.
    const audited = await t.dataSource.query(`SELECT action, outcome FROM audit_log WHERE action LIKE 'import.%' ORDER BY id`);
    expect(audited).toEqual(
      expect.arrayContaining([
        { action: 'import.create', outcome: 'success' },
        { action: 'import.apply', outcome: 'success' },
      ]),
    );
  });

  it('refuses to apply an invalid dry run, and reports 404 for a job of another type', async () => {
    const created = await upload(SYSADMIN, join(FIXTURES, 'not-ok', 'duplicate-id.json'), { scope: 'tenant', strategy: 'merge', dryRun: 'true' });
    const job = await waitFor(created.body.id, SYSADMIN);
    expect(job.status).toBe('failed');
    const applied = await t.http.post(`/api/imports/${job.id}/apply`).set(await auth(SYSADMIN));
    expect(applied.status).toBe(409);
    expect(applied.body.message).toContain('did not pass validation');
    const exported = await t.http
      .post('/api/exports')
      .set(await auth(SYSADMIN))
      .send({ scope: 'global', format: 'json' });
    await waitFor(exported.body.id, SYSADMIN);
    expect((await t.http.get(`/api/imports/${exported.body.id}/report`).set(await auth(SYSADMIN))).status).toBe(404);
  });

  it('reports an import that failed before the engine could report (for example TENANT_BUSY) in report form', async () => {
    const [job] = await t.dataSource.query(
      `INSERT INTO data_jobs (type, status, tenant_id, params, error, finished_at)
       VALUES ('import', 'failed', $1, $2, $3, now()) RETURNING id`,
      [
        northside,
        { scope: 'tenant', strategy: 'merge', dryRun: true },
        { code: 'TENANT_BUSY', message: 'Another import or restore is running for this tenant' },
      ],
    );
    const body = await report(job.id, NORTHSIDE_ADMIN);
    expect(body).toMatchObject({ jobId: job.id, status: 'failed', valid: false, applied: false, dryRun: true, plan: [], targetTenantId: northside });
    expect(body.errors).toEqual([{ table: null, rowId: null, field: null, message: 'Another import or restore is running for this tenant' }]);
  });

  it('keeps org admins to their own tenant and to tenant scope, and removes refused uploads', async () => {
    const before = (await t.storedNames('jobs')).length;
    const other = await upload(NORTHSIDE_ADMIN, northsideBundle, { scope: 'tenant', targetTenantId: harbor, strategy: 'merge', dryRun: 'true' });
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('TENANT_FORBIDDEN');
    const global = await upload(NORTHSIDE_ADMIN, northsideBundle, { scope: 'global', strategy: 'merge', dryRun: 'true' });
    expect(global.status).toBe(403);
    const clone = await upload(NORTHSIDE_ADMIN, northsideBundle, { scope: 'tenant', strategy: 'merge', dryRun: 'true', asNewTenant: 'true' });
    expect(clone.status).toBe(403);
    expect((await t.storedNames('jobs')).length).toBe(before);
    // And they cannot read another tenant's import report.
    const mine = await upload(NORTHSIDE_ADMIN, northsideBundle, { scope: 'tenant', strategy: 'skip', dryRun: 'true' });
    await waitFor(mine.body.id, NORTHSIDE_ADMIN);
    expect((await t.http.get(`/api/imports/${mine.body.id}/report`).set(await auth(HARBOR_ADMIN))).status).toBe(403);
  });

  it('answers 400 naming the field for bad fields and a missing file, and 413 for an oversized upload', async () => {
    const bad = await upload(SYSADMIN, northsideBundle, { scope: 'tenant', strategy: 'wipe', dryRun: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['strategy', 'dryRun']));
    const noFile = await t.http
      .post('/api/imports')
      .set(await auth(SYSADMIN))
      .field('scope', 'tenant')
      .field('strategy', 'merge')
      .field('dryRun', 'true');
    expect(noFile.status).toBe(400);
    expect(noFile.body.message).toContain('file');
    const big = join(dir, 'big.json');
    await writeFile(big, Buffer.alloc(2 * 1024 * 1024, 0x20));
    const before = (await t.storedNames('jobs')).length;
    const tooLarge = await upload(SYSADMIN, big, { scope: 'tenant', strategy: 'merge', dryRun: 'true' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', message: expect.stringContaining('upload limit of 1 MB (MAX_UPLOAD_MB)') });
    expect((await t.storedNames('jobs')).length).toBe(before);
  });

  it('turns every bad bundle of the corpus into a failed job with its errors, never an internal error', async () => {
    const pool = pgPool(t.dataSource);
    const before = await tableChecksums(pool);
    const names = readdirSync(join(FIXTURES, 'not-ok')).filter((n) => !n.endsWith('.expected.json'));
    for (const name of names) {
      const expected = JSON.parse(readFileSync(join(FIXTURES, 'not-ok', `${name}.expected.json`), 'utf8')) as {
        actor: string;
        code: string;
        strategy: string;
        targetTenantId?: string;
      };
      const email = expected.actor === 'northside-admin' ? NORTHSIDE_ADMIN : SYSADMIN;
      const created = await upload(email, join(FIXTURES, 'not-ok', name), { scope: 'tenant', strategy: expected.strategy, dryRun: 'false' });
      expect({ name, status: created.status }).toEqual({ name, status: 202 });
      const job = await waitFor(created.body.id, email);
      expect({ name, status: job.status, code: job.error?.code }).toEqual({ name, status: 'failed', code: expected.code });
      const body = await report(job.id, email);
      expect(body.errors.length).toBeGreaterThan(0);
      expect(body.applied).toBe(false);
    }
    expect(await tableChecksums(pool)).toEqual(before);
  });

  it('applies only the plan the dry run showed: a target changed since gets CONFLICT with the new plan and nothing written; force applies it', async () => {
    const pool = pgPool(t.dataSource);
    const created = await upload(NORTHSIDE_ADMIN, northsideBundle, { scope: 'tenant', strategy: 'merge', dryRun: 'true' });
    const dry = await waitFor((created.body as JobView).id, NORTHSIDE_ADMIN);
    const dryReport = await report(dry.id, NORTHSIDE_ADMIN);
    expect(dryReport.planDigest?.sessions).toMatch(/^\d+:-?\d+:\d+$/);
    // Someone logs a change after the dry run: the merge would now overwrite it.
    const [session] = await t.dataSource.query(`SELECT id FROM sessions WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [northside]);
    await t.dataSource.query(`UPDATE sessions SET notes = 'logged after the dry run' WHERE id = $1`, [session.id]);
    const before = await tableChecksums(pool);

    const stale = await t.http
      .post(`/api/imports/${dry.id}/apply`)
      .set(await auth(NORTHSIDE_ADMIN))
      .send({});
    expect(stale.status).toBe(202);
    const refused = await waitFor((stale.body as JobView).id, NORTHSIDE_ADMIN);
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('changed since your dry run (sessions)') });
    const staleReport = await report(refused.id, NORTHSIDE_ADMIN);
    expect(staleReport.applied).toBe(false);
    expect(staleReport.planChanges).toEqual([
      { table: 'sessions', before: dryReport.plan.find((p) => p.table === 'sessions'), after: expect.objectContaining({ table: 'sessions', update: 1 }) },
    ]);
    expect(await tableChecksums(pool)).toEqual(before);

    const forced = await t.http
      .post(`/api/imports/${dry.id}/apply`)
      .set(await auth(NORTHSIDE_ADMIN))
      .send({ force: true });
    const applied = await waitFor((forced.body as JobView).id, NORTHSIDE_ADMIN);
    expect(applied.status).toBe('succeeded');
    const [{ notes }] = await t.dataSource.query(`SELECT notes FROM sessions WHERE id = $1`, [session.id]);
    expect(notes).not.toBe('logged after the dry run');
  });

  it('notices an apply whose counts are the same but whose rows are not: an insert and an unchanged row traded places', async () => {
    const [first, second] = (await t.dataSource.query(`SELECT id FROM sets WHERE tenant_id = $1 ORDER BY id LIMIT 2`, [northside])).map(
      (r: { id: string }) => r.id,
    );
    await t.dataSource.query(`CREATE TABLE kept_sets AS SELECT * FROM sets WHERE id = ANY($1)`, [[first, second]]);
    try {
      // The dry run inserts the first set again and finds the second unchanged…
      await t.dataSource.query(`DELETE FROM sets WHERE id = $1`, [first]);
      const created = await upload(NORTHSIDE_ADMIN, northsideBundle, { scope: 'tenant', strategy: 'merge', dryRun: 'true' });
      const dry = await waitFor((created.body as JobView).id, NORTHSIDE_ADMIN);
      expect((await report(dry.id, NORTHSIDE_ADMIN)).plan.find((p) => p.table === 'sets')).toMatchObject({ insert: 1 });
      // …then the first comes back and the second goes: the same counts, another plan.
      await t.dataSource.query(`INSERT INTO sets SELECT * FROM kept_sets WHERE id = $1`, [first]);
      await t.dataSource.query(`DELETE FROM sets WHERE id = $1`, [second]);
      const applied = await t.http
        .post(`/api/imports/${dry.id}/apply`)
        .set(await auth(NORTHSIDE_ADMIN))
        .send({});
      const job = await waitFor((applied.body as JobView).id, NORTHSIDE_ADMIN);
      expect(job.error).toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('(sets)') });
    } finally {
      await t.dataSource.query(`INSERT INTO sets SELECT * FROM kept_sets k WHERE NOT EXISTS (SELECT 1 FROM sets s WHERE s.id = k.id)`);
      await t.dataSource.query(`DROP TABLE kept_sets`);
    }
  });

  it('applies a clone dry run: its new ids differ on every run, its plan does not', async () => {
    const created = await upload(SYSADMIN, northsideBundle, {
      scope: 'tenant',
      strategy: 'merge',
      dryRun: 'true',
      asNewTenant: 'true',
      newTenantSlug: 'plan-clone',
    });
    const dry = await waitFor((created.body as JobView).id, SYSADMIN);
    expect(dry.status).toBe('succeeded');
    const applied = await t.http
      .post(`/api/imports/${dry.id}/apply`)
      .set(await auth(SYSADMIN))
      .send({});
    const job = await waitFor((applied.body as JobView).id, SYSADMIN);
    expect(job.error).toBeNull();
    expect(job.status).toBe('succeeded');
    expect(await t.dataSource.query(`SELECT slug FROM tenants WHERE slug = 'plan-clone'`)).toEqual([{ slug: 'plan-clone' }]);
  });
});
