import bcrypt from 'bcryptjs';
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { pgPool } from '../src/common/pg-pool.js';
import type { ImportReport, JobView } from '../src/shared/api-types.js';
import { exportBundle } from '../src/transfer/export/export-bundle.js';
import { normaliseExport } from '../src/transfer/export/export-selection.js';
import { offlineDomainTables } from '../src/database/offline-tables.js';
import type { TableSpec } from '../src/transfer/table-graph.js';
import type { LogicalBundle, Row } from './support/bundle-builder.js';
import { readJsonBundle, writeBundle } from './support/bundle-files.js';
import { tableChecksums } from './support/import-helpers.js';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

const COACH = 'coach1@northside.example';
const ATHLETE = 'athlete1@northside.example';

/**
 * The attack matrix of docs/security.md: every way an import could raise someone's power, write
 * credentials or reveal another tenant, tried through the HTTP API as an org admin (and as a
 * coach and an athlete), with a system admin as the control. Each case checks the database
 * afterwards, not only the answer.
 */
describe('security: what an import may change about power', () => {
  let t: TestApp;
  let pool: pg.Pool;
  let dir: string;
  let tables: TableSpec[];
  let northside: string;
  let harbor: string;
  /** Northside as an org admin exports it (no credentials), and as a system admin may (with them). */
  let plain: LogicalBundle;
  let withCredentials: LogicalBundle;
  let seq = 0;

  const auth = async (email: string) => ({ authorization: `Bearer ${await t.token(email)}` });
  const userId = async (email: string) => (await pool.query<{ id: string }>(`SELECT id FROM users WHERE email = $1`, [email])).rows[0].id;
  const user = async (id: string) => (await pool.query<Row>(`SELECT role, tenant_id, password_hash FROM users WHERE id = $1`, [id])).rows[0];
  const clone = (bundle: LogicalBundle): LogicalBundle => structuredClone(bundle);
  const usersOf = (bundle: LogicalBundle) => bundle.rows.users;

  /** Uploads `bundle` as `email`, waits for the job and returns it with its report. */
  async function importAs(email: string, bundle: LogicalBundle, fields: Record<string, string>) {
    const path = await writeBundle(join(dir, `bundle-${++seq}.json`), bundle);
    const request = t.http.post('/api/imports').set(await auth(email));
    for (const [key, value] of Object.entries({ scope: 'tenant', ...fields })) request.field(key, value);
    const created = await request.attach('file', path);
    if (created.status !== 202) return { status: created.status, body: created.body as { code: string; message: string }, job: null, report: null };
    const job = await waitForJob(t, await t.token(email), (created.body as JobView).id);
    const report = (await t.http.get(`/api/imports/${job.id}/report`).set(await auth(email))).body as ImportReport;
    return { status: created.status, body: created.body, job, report };
  }

  const lastAuditOf = async (jobId: string) =>
    (
      await pool.query<{ outcome: string; params: Record<string, unknown> }>(
        `SELECT outcome, params FROM audit_log WHERE action = 'import.result' AND params->>'jobId' = $1`,
        [jobId],
      )
    ).rows;

  beforeAll(async () => {
    t = await createTestApp();
    pool = pgPool(t.dataSource);
    dir = await mkdtemp(join(tmpdir(), 'rythm-security-'));
    tables = await offlineDomainTables();
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    [{ id: harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
    // A second org admin in Northside, so that a colleague's role can be attacked.
    await pool.query(
      `INSERT INTO users (tenant_id, email, first_name, last_name, role, password_hash)
       SELECT tenant_id, 'admin2@northside.example', 'Second', 'Admin', 'org_admin', password_hash FROM users WHERE email = $1`,
      [NORTHSIDE_ADMIN],
    );
    for (const [name, includeCredentials] of [
      ['plain', false],
      ['credentials', true],
    ] as const) {
      const path = join(dir, `${name}.json`);
      await exportBundle(pool, normaliseExport({ scope: 'tenant', tenantId: northside, format: 'json', includeCredentials }), createWriteStream(path), {
        tables,
      });
      if (includeCredentials) withCredentials = await readJsonBundle(path, tables);
      else plain = await readJsonBundle(path, tables);
    }
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('roles: an org admin never raises a role above org_admin, nor grants or removes org_admin', () => {
    it.each(['merge', 'replace'])('refuses a new system_admin user in their tenant (%s), in the dry run too, and writes nothing', async (strategy) => {
      const before = await tableChecksums(pool);
      const bundle = clone(plain);
      const intruder = { ...usersOf(bundle)[0], id: randomUUID(), email: 'root@northside.example', role: 'system_admin' };
      usersOf(bundle).push(intruder);
      for (const dryRun of ['true', 'false']) {
        const { job, report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy, dryRun });
        expect(job!.status).toBe('failed');
        expect(report!.errors).toContainEqual(
          expect.objectContaining({ table: 'users', rowId: intruder.id, field: 'role', message: expect.stringMatching(/platform user/) }),
        );
      }
      expect(await tableChecksums(pool)).toEqual(before);
    });

    it("refuses an org admin's own row turned system_admin; their token stays an org admin's", async () => {
      const me = await userId(NORTHSIDE_ADMIN);
      const bundle = clone(plain);
      usersOf(bundle).find((u) => u.id === me)!.role = 'system_admin';
      const { report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'false' });
      expect(report!.valid).toBe(false);
      expect(report!.errors.map((e) => [e.rowId, e.field])).toContainEqual([me, 'role']);
      expect((await user(me)).role).toBe('org_admin');
      const tenants = await t.http
        .get('/api/tenants')
        .set(await auth(NORTHSIDE_ADMIN))
        .expect(200);
      expect((tenants.body as { id: string }[]).map((x) => x.id)).toEqual([northside]);
      await t.http
        .post('/api/backups')
        .set(await auth(NORTHSIDE_ADMIN))
        .send({ scope: 'full' })
        .expect(403);
    });

    it.each([
      ['a coach to org_admin', COACH, 'org_admin'],
      ['another org admin to coach', 'admin2@northside.example', 'coach'],
      ['themselves to athlete', NORTHSIDE_ADMIN, 'athlete'],
    ])('refuses changing %s, naming the row and the expected role', async (_what, email, role) => {
      const id = await userId(email);
      const current = (await user(id)).role as string;
      const bundle = clone(plain);
      usersOf(bundle).find((u) => u.id === id)!.role = role;
      const { report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'true' });
      expect(report!.errors).toEqual([
        expect.objectContaining({ table: 'users', rowId: id, field: 'role', message: expect.stringContaining(`expected ${current}`) }),
      ]);
      expect((await user(id)).role).toBe(current);
    });

    it('refuses a replace that would delete an org admin (the bundle leaves the row out)', async () => {
      const colleague = await userId('admin2@northside.example');
      const bundle = clone(plain);
      bundle.rows.users = usersOf(bundle).filter((u) => u.id !== colleague);
      const before = await tableChecksums(pool);
      const { report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'replace', dryRun: 'false' });
      expect(report!.errors).toContainEqual(
        expect.objectContaining({ table: 'users', rowId: colleague, field: 'id', message: expect.stringMatching(/cannot remove an org admin/) }),
      );
      expect(await tableChecksums(pool)).toEqual(before);
    });

    it('lets an org admin promote an athlete to coach (the documented rule), and audits the role change', async () => {
      const athlete = await userId(ATHLETE);
      const bundle = clone(plain);
      usersOf(bundle).find((u) => u.id === athlete)!.role = 'coach';
      const { job, report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'false' });
      expect(job!.status).toBe('succeeded');
      expect(report!.powerChanges).toEqual({ credentialsWritten: 0, roleChanges: 1 });
      expect((await user(athlete)).role).toBe('coach');
      expect(await lastAuditOf(job!.id)).toEqual([
        { outcome: 'success', params: expect.objectContaining({ valid: true, applied: true, roleChanges: 1, credentialsWritten: 0 }) },
      ]);
      // Back, for the cases after this one.
      await pool.query(`UPDATE users SET role = 'athlete' WHERE id = $1`, [athlete]);
    });

    it('refuses a users row without a tenant (a platform user) in a tenant import', async () => {
      const bundle = clone(plain);
      const platform = { ...usersOf(bundle)[0], id: randomUUID(), email: 'ghost@rythm.example', tenant_id: null, role: 'system_admin' };
      usersOf(bundle).push(platform);
      const { report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'true' });
      expect(report!.errors).toContainEqual(expect.objectContaining({ table: 'users', rowId: platform.id, field: 'tenant_id' }));
      expect(await pool.query(`SELECT 1 FROM users WHERE id = $1`, [platform.id])).toMatchObject({ rowCount: 0 });
    });

    it('refuses a system admin inside a tenant for a system admin too (the schema rule holds for everyone)', async () => {
      const bundle = clone(plain);
      const intruder = { ...usersOf(bundle)[0], id: randomUUID(), email: 'root2@northside.example', role: 'system_admin' };
      usersOf(bundle).push(intruder);
      const { report } = await importAs(SYSADMIN, bundle, { strategy: 'merge', dryRun: 'false', targetTenantId: northside });
      expect(report!.errors).toContainEqual(expect.objectContaining({ rowId: intruder.id, field: 'role' }));
      expect(await pool.query(`SELECT 1 FROM users WHERE id = $1`, [intruder.id])).toMatchObject({ rowCount: 0 });
    });

    it('control: a system admin may change a coach to org_admin; the audit row counts the role change', async () => {
      const coach = await userId(COACH);
      const bundle = clone(plain);
      usersOf(bundle).find((u) => u.id === coach)!.role = 'org_admin';
      const { job, report } = await importAs(SYSADMIN, bundle, { strategy: 'merge', dryRun: 'false', targetTenantId: northside });
      expect(report!.valid).toBe(true);
      expect((await user(coach)).role).toBe('org_admin');
      expect((await lastAuditOf(job!.id))[0].params).toMatchObject({ roleChanges: 1, credentialsWritten: 0 });
      await pool.query(`UPDATE users SET role = 'coach' WHERE id = $1`, [coach]);
    });
  });

  describe('credentials: an org admin never writes a password hash', () => {
    it('refuses a bundle that carries password_hash, saying how to proceed; no hash changes', async () => {
      const coach = await userId(COACH);
      const bundle = clone(withCredentials);
      // The attack: a colleague's account taken over with a hash whose password the attacker knows.
      usersOf(bundle).find((u) => u.id === coach)!.password_hash = usersOf(bundle).find((u) => u.email === NORTHSIDE_ADMIN)!.password_hash;
      const hashes = (await pool.query(`SELECT id, password_hash FROM users ORDER BY id`)).rows;
      for (const strategy of ['merge', 'replace']) {
        const { job, report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy, dryRun: 'false' });
        expect(job!.status).toBe('failed');
        expect(report!.errors).toEqual([
          expect.objectContaining({
            table: 'users',
            rowId: null,
            field: 'password_hash',
            message: expect.stringMatching(/org admins may not import.*export it again without credentials/),
          }),
        ]);
      }
      expect((await pool.query(`SELECT id, password_hash FROM users ORDER BY id`)).rows).toEqual(hashes);
      await t.http.post('/api/auth/login').send({ email: COACH, password: 'rythm-demo' }).expect(200);
    });

    it("keeps every existing hash through an org admin's merge and replace, and creates users without a password", async () => {
      const hashes = (await pool.query(`SELECT id, password_hash FROM users WHERE tenant_id = $1 ORDER BY id`, [northside])).rows;
      const bundle = clone(plain);
      const newcomer = { ...usersOf(bundle).find((u) => u.role === 'athlete')!, id: randomUUID(), email: 'new.athlete@northside.example' };
      usersOf(bundle).push(newcomer);
      const { job, report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'replace', dryRun: 'false' });
      expect(job!.status).toBe('succeeded');
      expect(report!.powerChanges).toEqual({ credentialsWritten: 0, roleChanges: 0 });
      expect((await pool.query(`SELECT id, password_hash FROM users WHERE tenant_id = $1 AND id <> $2 ORDER BY id`, [northside, newcomer.id])).rows).toEqual(
        hashes,
      );
      expect((await user(newcomer.id)).password_hash).toBeNull();
      await t.http.post('/api/auth/login').send({ email: newcomer.email, password: 'rythm-demo' }).expect(401);
    });

    it('control: a system admin may write credentials; the report and the audit row count them', async () => {
      const athlete = await userId(ATHLETE);
      const bundle = clone(withCredentials);
      usersOf(bundle).find((u) => u.id === athlete)!.password_hash = bcrypt.hashSync('a-new-password', 4);
      const { job, report } = await importAs(SYSADMIN, bundle, { strategy: 'merge', dryRun: 'false', targetTenantId: northside });
      expect(report!.valid).toBe(true);
      expect(report!.powerChanges).toEqual({ credentialsWritten: 1, roleChanges: 0 });
      expect((await lastAuditOf(job!.id))[0].params).toMatchObject({ credentialsWritten: 1, applied: true });
      await t.http.post('/api/auth/login').send({ email: ATHLETE, password: 'a-new-password' }).expect(200);
      await pool.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [athlete, usersOf(withCredentials).find((u) => u.id === athlete)!.password_hash]);
    });

    it("an org admin's restore of their backup keeps today's password hashes (a system admin's brings the old ones back)", async () => {
      const coach = await userId(COACH);
      const backupJob = await t.http
        .post('/api/backups')
        .set(await auth(SYSADMIN))
        .send({ scope: 'tenant', tenantId: northside })
        .expect(202);
      const done = await waitForJob(t, await t.token(SYSADMIN), (backupJob.body as JobView).id);
      const backupId = (done.result as { backupId: string }).backupId;
      await pool.query(`UPDATE users SET password_hash = 'changed-after-the-backup' WHERE id = $1`, [coach]);
      const restored = await t.http
        .post(`/api/backups/${backupId}/restore`)
        .set(await auth(NORTHSIDE_ADMIN))
        .send({ dryRun: false })
        .expect(202);
      expect((await waitForJob(t, await t.token(NORTHSIDE_ADMIN), (restored.body as JobView).id)).status).toBe('succeeded');
      expect((await user(coach)).password_hash).toBe('changed-after-the-backup');
      const again = await t.http
        .post(`/api/backups/${backupId}/restore`)
        .set(await auth(SYSADMIN))
        .send({ dryRun: false })
        .expect(202);
      expect((await waitForJob(t, await t.token(SYSADMIN), (again.body as JobView).id)).status).toBe('succeeded');
      expect((await user(coach)).password_hash).not.toBe('changed-after-the-backup');
      await t.http.post('/api/auth/login').send({ email: COACH, password: 'rythm-demo' }).expect(200);
    });
  });

  describe('no oracle: errors never name or reveal another tenant', () => {
    let harborUser: string;
    let harborProgram: string;
    beforeAll(async () => {
      harborUser = await userId(HARBOR_ADMIN);
      [{ id: harborProgram }] = await t.dataSource.query(`SELECT id FROM programs WHERE tenant_id = $1 LIMIT 1`, [harbor]);
    });

    it("reads a reference to another tenant's row like a reference to a row that does not exist", async () => {
      const bundle = clone(plain);
      const program = bundle.rows.programs[0];
      program.created_by = harborUser;
      const foreign = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'true' });
      const missingBundle = clone(plain);
      missingBundle.rows.programs[0].created_by = randomUUID();
      const missing = await importAs(NORTHSIDE_ADMIN, missingBundle, { strategy: 'merge', dryRun: 'true' });
      const shape = (m: string) => m.replace(/[0-9a-f-]{36}/g, '<id>');
      expect(shape(foreign.report!.errors[0].message)).toBe(shape(missing.report!.errors[0].message));
      expect(foreign.report!.errors[0].message).toMatch(/neither in the bundle nor in the database/);
    });

    it('reads a reference to a platform user (a system admin) like one to a row that does not exist', async () => {
      const bundle = clone(plain);
      bundle.rows.programs[0].created_by = await userId(SYSADMIN);
      const { report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'true' });
      expect(report!.errors).toEqual([
        expect.objectContaining({ table: 'programs', field: 'created_by', message: expect.stringMatching(/neither in the bundle nor in the database/) }),
      ]);
    });

    it("refuses an id taken by another tenant's row without saying whose", async () => {
      const bundle = clone(plain);
      usersOf(bundle).push({ ...usersOf(bundle)[0], id: harborUser, email: 'copy@northside.example', role: 'athlete' });
      bundle.rows.program_assignments.push({ ...bundle.rows.program_assignments[0], id: randomUUID(), program_id: harborProgram });
      const { report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'true' });
      const text = JSON.stringify(report!.errors);
      expect(report!.errors).toContainEqual(expect.objectContaining({ table: 'users', rowId: harborUser, field: 'id' }));
      expect(text).not.toMatch(/another tenant/);
      expect(text).not.toContain(harbor);
      expect((await user(harborUser)).tenant_id).toBe(harbor);
    });

    it('says a slug is taken by another tenant without its id', async () => {
      const bundle = clone(plain);
      bundle.rows.tenants[0].slug = 'harbor';
      const { report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'true' });
      expect(report!.errors).toEqual([expect.objectContaining({ table: 'tenants', field: 'slug', message: expect.stringMatching(/taken by another tenant/) })]);
      expect(JSON.stringify(report!.errors)).not.toContain(harbor);
    });

    it.each([
      ['slug', 'Bad Slug!'],
      ['slug', '-leading-hyphen'],
      ['name', '   '],
      ['name', 'tab\there'],
    ])('holds an imported tenant %s (%j) to the same rules as a clone', async (field, value) => {
      const bundle = clone(plain);
      bundle.rows.tenants[0][field] = value;
      const { report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'false' });
      expect(report!.errors).toContainEqual(expect.objectContaining({ table: 'tenants', rowId: northside, field }));
      expect((await pool.query(`SELECT slug, name FROM tenants WHERE id = $1`, [northside])).rows[0]).toEqual({
        slug: 'northside',
        name: 'Northside Strength',
      });
    });
  });

  describe('who may import at all', () => {
    it.each([COACH, ATHLETE])('refuses %s (no console role) at the door, and queues nothing', async (email) => {
      const jobs = await pool.query(`SELECT count(*) FROM data_jobs`);
      // A small body: the guard answers before reading it, and a large one would meet a closed socket.
      const response = await t.http
        .post('/api/imports')
        .set(await auth(email))
        .field('scope', 'tenant')
        .field('strategy', 'merge')
        .field('dryRun', 'true')
        .attach('file', Buffer.from('{}'), 'bundle.json');
      expect(response.status).toBe(403);
      expect((await pool.query(`SELECT count(*) FROM data_jobs`)).rows).toEqual(jobs.rows);
    });

    it.each([
      [{ scope: 'full' }, 403],
      [{ scope: 'global' }, 403],
      [{ targetTenantId: 'HARBOR' }, 400],
      [{ asNewTenant: 'true' }, 403],
    ])('refuses an org admin %j with %i', async (fields, status) => {
      const result = await importAs(NORTHSIDE_ADMIN, plain, { strategy: 'merge', dryRun: 'true', ...fields });
      expect(result.status).toBe(status);
    });

    it("refuses an org admin's import into another tenant with 403, whatever the bundle holds", async () => {
      const before = await tableChecksums(pool);
      const result = await importAs(NORTHSIDE_ADMIN, plain, { strategy: 'replace', dryRun: 'false', targetTenantId: harbor });
      expect(result.status).toBe(403);
      expect(result.body.code).toBe('TENANT_FORBIDDEN');
      expect(await tableChecksums(pool)).toEqual(before);
    });
  });

  describe('reports', () => {
    it("names a clone's bad rows by their ids in the bundle, not by the new ids", async () => {
      const bundle = clone(plain);
      const set = bundle.rows.sets[0];
      set.rpe = '11';
      const first = await importAs(SYSADMIN, bundle, { strategy: 'merge', dryRun: 'true', asNewTenant: 'true' });
      expect(first.report!.errors).toEqual([expect.objectContaining({ table: 'sets', rowId: set.id, field: 'rpe' })]);
    });

    it('labels the rows it names, and lists every error in errors.csv', async () => {
      const athlete = await userId(ATHLETE);
      const bundle = clone(plain);
      usersOf(bundle).find((u) => u.id === athlete)!.role = 'org_admin';
      for (const s of bundle.rows.sets.slice(0, 250)) s.rpe = '12';
      const { job, report } = await importAs(NORTHSIDE_ADMIN, bundle, { strategy: 'merge', dryRun: 'true' });
      expect(report!.errors).toHaveLength(200);
      expect(report!.moreErrors).toBe(51);
      expect(report!.rowLabels!.users[athlete]).toMatch(/<athlete1@northside\.example>$/);
      const csv = await t.http
        .get(`/api/imports/${job!.id}/errors.csv`)
        .set(await auth(NORTHSIDE_ADMIN))
        .expect(200);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split('\r\n');
      expect(lines[0]).toBe('table,rowId,label,field,message');
      expect(lines).toHaveLength(252);
      expect(lines.find((l) => l.startsWith(`users,${athlete},`))).toContain('athlete1@northside.example');
      await t.http
        .get(`/api/imports/${job!.id}/errors.csv`)
        .set(await auth(HARBOR_ADMIN))
        .expect(403);
    });
  });
});
