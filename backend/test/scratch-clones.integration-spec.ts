import bcrypt from 'bcryptjs';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cloneFixture, QA_FIXTURE } from './support/clone-helpers.js';
import { createTestApp, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * QA clones: made scratch (no backups before their imports or their deletion) with a time-to-live,
 * their users' addresses tagged with the clone's slug, and one password set for all of them by a
 * system admin, so that every clone is sign-in ready and unambiguous.
 */
interface Bundle {
  manifest: { tables: { name: string }[] };
  data: Record<string, Record<string, unknown>[]> & { users: { id: string; email: string }[] };
  summary: unknown;
}

describe('scratch clones, email tags and the QA password (real PostgreSQL)', () => {
  let t: TestApp;
  let sys: string;
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  beforeAll(async () => {
    t = await createTestApp();
    sys = await t.token(SYSADMIN);
  });
  afterAll(async () => {
    await t.close();
  });

  it('marks a clone scratch with its expiry in the clone’s own transaction, and lists it so', async () => {
    const { jobId, report } = await cloneFixture(t, sys, { slug: 'qa-ttl', ttlSeconds: 7200 });
    expect(report).toMatchObject({ applied: true, valid: true, backupId: null });
    const [mark] = await t.dataSource.query(
      `SELECT job_id, created_by, extract(epoch FROM expires_at - created_at)::int AS ttl FROM scratch_tenants WHERE tenant_id = $1`,
      [report.targetTenantId],
    );
    expect(mark).toMatchObject({ job_id: jobId, ttl: 7200 });
    const tenants = await t.http.get('/api/tenants').set(bearer(sys)).expect(200);
    const listed = tenants.body.find((x: { slug: string }) => x.slug === 'qa-ttl');
    expect(listed).toMatchObject({ scratch: true, expiresAt: expect.any(String) });
    expect(tenants.body.find((x: { slug: string }) => x.slug === 'northside')).toMatchObject({ scratch: false, expiresAt: null });
    const one = await t.http.get(`/api/tenants/${report.targetTenantId}`).set(bearer(sys)).expect(200);
    expect(one.body).toEqual(listed);
    await t.http
      .get(`/api/tenants/${report.targetTenantId}`)
      .set(bearer(await t.token(NORTHSIDE_ADMIN)))
      .expect(403);
    await t.http.get(`/api/tenants/00000000-0000-4000-8000-000000000000`).set(bearer(sys)).expect(404);
  });

  it('leaves no mark behind after a dry run, or after a clone that fails validation', async () => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM scratch_tenants`);
    const dry = await cloneFixture(t, sys, { slug: 'qa-dry', scratch: true, dryRun: true });
    expect(dry.report).toMatchObject({ valid: true, applied: false });
    const taken = await cloneFixture(t, sys, { slug: 'qa-ttl', scratch: true }); // the slug is taken
    expect(taken.report.applied).toBe(false);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM scratch_tenants`)).toEqual(before);
  });

  it('takes no backup before an import into a scratch tenant, and one before an import into any other', async () => {
    const scratch = (await cloneFixture(t, sys, { slug: 'qa-nobackup', scratch: true })).report.targetTenantId!;
    const kept = (await cloneFixture(t, sys, { slug: 'qa-backedup' })).report.targetTenantId!;
    for (const [id, expectBackup] of [
      [scratch, false],
      [kept, true],
    ] as const) {
      const exported = await t.http
        .post('/api/exports')
        .set(bearer(sys))
        .send({ scope: 'tenant', tenantId: id, format: 'json', includeCredentials: true })
        .expect(202);
      await waitForJob(t, sys, exported.body.id);
      const file = await t.http.get(`/api/exports/${exported.body.id}/download`).set(bearer(sys)).buffer(true).expect(200);
      await t.dataSource.query(
        `UPDATE sessions SET notes = 'changed by a test' WHERE id IN (SELECT id FROM sessions WHERE tenant_id = $1 ORDER BY id LIMIT 10)`,
        [id],
      );
      const [{ n: before }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM backups WHERE tenant_id = $1`, [id]);
      const created = await t.http
        .post('/api/imports')
        .set(bearer(sys))
        .field('scope', 'tenant')
        .field('strategy', 'replace')
        .field('dryRun', 'false')
        .field('targetTenantId', id)
        .attach('file', Buffer.from(file.text), 'reset.json')
        .expect(202);
      await waitForJob(t, sys, created.body.id);
      const report = (await t.http.get(`/api/imports/${created.body.id}/report`).set(bearer(sys)).expect(200)).body;
      expect(report.plan.find((p: { table: string }) => p.table === 'sessions')).toMatchObject({ update: 10, insert: 0, delete: 0 });
      const [{ n: after }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM backups WHERE tenant_id = $1`, [id]);
      expect({ backup: report.backupId !== null, rows: after - before }).toEqual({ backup: expectBackup, rows: expectBackup ? 1 : 0 });
    }
  });

  it('gives every user of a tagged clone an address of its own: name+<slug>@domain', async () => {
    const { report } = await cloneFixture(t, sys, { slug: 'qa-tagged', scratch: true, tagEmails: true });
    const users = await t.http.get(`/api/tenants/${report.targetTenantId}/users`).set(bearer(sys)).expect(200);
    expect(users.body).toHaveLength(6);
    expect(users.body.map((u: { email: string }) => u.email)).toEqual(
      expect.arrayContaining(['org-admin0+qa-tagged@qa-small.example', 'coach1+qa-tagged@qa-small.example']),
    );
    expect(users.body.every((u: { email: string }) => /^[a-z-]+\d\+qa-tagged@qa-small\.example$/.test(u.email))).toBe(true);
    expect(JSON.stringify(users.body)).not.toMatch(/password|\$2[aby]\$/);
  });

  it('makes the QA fixture sign-in ready: a tagged clone’s users sign in with the documented QA password, no tenant needed', async () => {
    await cloneFixture(t, sys, { slug: 'qa-ready', scratch: true, tagEmails: true });
    const coach = await t.http.post('/api/auth/login').send({ email: 'coach1+qa-ready@qa-small.example', password: 'rythm-qa' }).expect(200);
    expect(coach.body.user).toMatchObject({ role: 'coach', tenantSlug: 'qa-ready' });
    const athlete = await t.http.post('/api/auth/login').send({ email: 'athlete2+qa-ready@qa-small.example', password: 'rythm-qa' }).expect(200);
    expect(athlete.body.user.role).toBe('athlete');
  });

  it("refuses an org admin's import of the QA fixture, which carries credentials, saying how to proceed", async () => {
    const [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    const before = await t.dataSource.query(`SELECT md5(string_agg(u::text, ',' ORDER BY id)) AS h FROM users u WHERE tenant_id = $1`, [northside]);
    const admin = await t.token(NORTHSIDE_ADMIN);
    const created = await t.http
      .post('/api/imports')
      .set(bearer(admin))
      .field('scope', 'tenant')
      .field('strategy', 'merge')
      .field('dryRun', 'false')
      .attach('file', QA_FIXTURE('small'))
      .expect(202);
    await waitForJob(t, admin, created.body.id);
    const report = (await t.http.get(`/api/imports/${created.body.id}/report`).set(bearer(admin)).expect(200)).body;
    expect(report.applied).toBe(false);
    expect(report.errors[0].message).toMatch(/password_hash/);
    expect(await t.dataSource.query(`SELECT md5(string_agg(u::text, ',' ORDER BY id)) AS h FROM users u WHERE tenant_id = $1`, [northside])).toEqual(before);
  });

  it('refuses a tag that would make an address longer than sign-in accepts, naming the row as the bundle wrote it', async () => {
    // The small fixture with one address of 300 characters: 64 more no longer fit in 320.
    const bundle = JSON.parse(readFileSync(QA_FIXTURE('small'), 'utf8')) as Bundle;
    const victim = bundle.data.users[0];
    victim.email = `${'a'.repeat(280)}@qa-small.example`;
    const hash = createHash('sha256');
    const rowCounts: Record<string, number> = {};
    for (const { name } of bundle.manifest.tables) {
      rowCounts[name] = bundle.data[name].length;
      for (const row of bundle.data[name]) hash.update(`${JSON.stringify(row)}\n`);
    }
    bundle.summary = { rowCounts, sha256: hash.digest('hex') };
    const file = join(t.config.dataDir, 'long-email.json');
    writeFileSync(file, JSON.stringify(bundle));
    const slug = `q${'x'.repeat(62)}`;
    const { report } = await cloneFixture(t, sys, { slug, scratch: true, tagEmails: true, file });
    expect(report.valid).toBe(false);
    expect(report.errors).toEqual([
      expect.objectContaining({
        table: 'users',
        rowId: victim.id,
        field: 'email',
        message: expect.stringMatching(/longer than 320 characters: use a shorter slug/),
      }),
    ]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE slug = $1`, [slug]);
    expect(n).toBe(0);
  });

  it.each([
    [{ scratch: 'true' }, 'scratch'],
    [{ ttlSeconds: '3600' }, 'ttlSeconds'],
    [{ tagEmails: 'true' }, 'tagEmails'],
  ])('refuses %j on an import that is not a clone (an existing tenant never becomes scratch)', async (fields, field) => {
    const [{ id }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
    const request = t.http
      .post('/api/imports')
      .set(bearer(sys))
      .field('scope', 'tenant')
      .field('strategy', 'merge')
      .field('dryRun', 'true')
      .field('targetTenantId', id);
    for (const [key, value] of Object.entries(fields)) request.field(key, value);
    const response = await request.attach('file', Buffer.from('{}'), 'bundle.json').expect(400);
    expect(response.body.fields).toEqual([expect.objectContaining({ field, message: expect.stringMatching(/only when importing as a new tenant/) })]);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM scratch_tenants WHERE tenant_id = $1`, [id]);
    expect(n).toBe(0);
  });

  it.each([
    ['30', /ttlSeconds must not be less than 60/],
    ['2592001', /ttlSeconds must not be greater than 2592000/],
    ['soon', /ttlSeconds must be an integer/],
  ])('refuses ttlSeconds=%s with 400 naming the field and the bounds', async (ttl, message) => {
    const response = await cloneFixture(t, sys, { slug: 'qa-bad-ttl', ttlSeconds: ttl as unknown as number });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.report)).toMatch(message);
  });

  describe('one password for every user of a tenant', () => {
    let tenantId: string;
    beforeAll(async () => {
      tenantId = (await cloneFixture(t, sys, { slug: 'qa-signin', scratch: true, tagEmails: true })).report.targetTenantId!;
    });

    it('lets a system admin set it: every user can then sign in with it, no tenant needed; audited without the password', async () => {
      const response = await t.http.post(`/api/tenants/${tenantId}/password`).set(bearer(sys)).send({ password: 'qa-password-1' }).expect(200);
      expect(response.body).toEqual({ tenantId, usersUpdated: 6 });
      const hashes: { email: string; password_hash: string }[] = await t.dataSource.query(`SELECT email, password_hash FROM users WHERE tenant_id = $1`, [
        tenantId,
      ]);
      expect(hashes).toHaveLength(6);
      expect(new Set(hashes.map((h) => h.password_hash)).size).toBe(1);
      expect(await bcrypt.compare('qa-password-1', hashes[0].password_hash)).toBe(true);
      for (const { email } of hashes) {
        const login = await t.http.post('/api/auth/login').send({ email, password: 'qa-password-1' }).expect(200);
        expect(login.body.user.tenantId).toBe(tenantId);
      }
      const [audit] = await t.dataSource.query(
        `SELECT actor_email, tenant_id, params FROM audit_log WHERE action = 'tenant.password' ORDER BY id DESC LIMIT 1`,
      );
      expect(audit).toMatchObject({ actor_email: SYSADMIN, tenant_id: tenantId, params: expect.objectContaining({ usersUpdated: 6 }) });
      expect(JSON.stringify(audit.params)).not.toContain('qa-password-1');
    });

    it("refuses an org admin (credentials are a system admin's to write) and changes no hash", async () => {
      const [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
      const before = await t.dataSource.query(`SELECT id, password_hash FROM users WHERE tenant_id = $1 ORDER BY id`, [northside]);
      await t.http
        .post(`/api/tenants/${northside}/password`)
        .set(bearer(await t.token(NORTHSIDE_ADMIN)))
        .send({ password: 'taken-over-1' })
        .expect(403);
      const org = await t.http.post('/api/api-tokens').set(bearer(sys)).send({ name: 'qa-org', role: 'org_admin', tenantId: northside }).expect(201);
      await t.http.post(`/api/tenants/${northside}/password`).set(bearer(org.body.token)).send({ password: 'taken-over-1' }).expect(403);
      expect(await t.dataSource.query(`SELECT id, password_hash FROM users WHERE tenant_id = $1 ORDER BY id`, [northside])).toEqual(before);
    });

    it('refuses a short password with 400 naming the field, and an unknown tenant with 404', async () => {
      const short = await t.http.post(`/api/tenants/${tenantId}/password`).set(bearer(sys)).send({ password: 'short' }).expect(400);
      expect(short.body.fields).toEqual([expect.objectContaining({ field: 'password', message: expect.stringMatching(/longer than or equal to 8/) })]);
      await t.http.post(`/api/tenants/00000000-0000-4000-8000-000000000000/password`).set(bearer(sys)).send({ password: 'long-enough' }).expect(404);
    });

    it("lists a tenant's users for its org admin, and refuses another tenant's", async () => {
      const [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
      const own = await t.http
        .get(`/api/tenants/${northside}/users`)
        .set(bearer(await t.token(NORTHSIDE_ADMIN)))
        .expect(200);
      expect(own.body.length).toBeGreaterThan(5);
      expect(own.body[0]).toMatchObject({ role: 'org_admin', canSignIn: true });
      const other = await t.http
        .get(`/api/tenants/${tenantId}/users`)
        .set(bearer(await t.token(NORTHSIDE_ADMIN)))
        .expect(403);
      expect(other.body.code).toBe('TENANT_FORBIDDEN');
    });
  });
});
