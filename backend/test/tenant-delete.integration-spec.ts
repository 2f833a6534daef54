import pg from 'pg';
import { tenantLockKey } from '../src/transfer/import/tenant-lock.js';
import { checksumsOutside, cloneFixture, rowsMentioning } from './support/clone-helpers.js';
import { createTestApp, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * DELETE /api/tenants/:id: every row of the tenant, in one transaction under its lock, audited;
 * a backup first unless the tenant is scratch; system admins only, with the slug or id typed back.
 */
const SMALL_ROWS = { tenants: 1, users: 6, programs: 2, workouts: 6, sessions: 40, sets: 400, program_assignments: 4, exercises: 0, exercise_templates: 0 };

describe('deleting a tenant (real PostgreSQL)', () => {
  let t: TestApp;
  let sys: string;
  const auditRows = (tenantId: string, action = 'tenant.delete') =>
    t.dataSource.query<{ actor_email: string | null; outcome: string; params: Record<string, unknown> }[]>(
      `SELECT actor_email, outcome, params FROM audit_log WHERE action = $1 AND (tenant_id = $2 OR params->>'id' = $2::text) ORDER BY id`,
      [action, tenantId],
    );

  beforeAll(async () => {
    t = await createTestApp({ env: { IMPORT_LOCK_TIMEOUT_MS: '1500' } });
    sys = await t.token(SYSADMIN);
  });
  afterAll(async () => {
    await t.close();
  });

  it('takes a scratch tenant completely away: no row left in any table, its files gone, every other tenant byte for byte the same', async () => {
    const { report } = await cloneFixture(t, sys, { slug: 'qa-gone', scratch: true });
    const id = report.targetTenantId!;
    // Things that hang off the tenant: an org_admin API token, a finished export, a manual backup.
    const token = await t.http.post('/api/api-tokens').set('authorization', `Bearer ${sys}`).send({ name: 'qa', role: 'org_admin', tenantId: id }).expect(201);
    const exported = await t.http
      .post('/api/exports')
      .set('authorization', `Bearer ${sys}`)
      .send({ scope: 'tenant', tenantId: id, format: 'json' })
      .expect(202);
    const exportJob = await waitForJob(t, sys, exported.body.id);
    const backup = await t.http.post('/api/backups').set('authorization', `Bearer ${sys}`).send({ scope: 'tenant', tenantId: id }).expect(202);
    const backupJob = await waitForJob(t, sys, backup.body.id);
    const [exportFile] = await t.dataSource.query(`SELECT file_name FROM data_jobs WHERE id = $1`, [exportJob.id]);
    const [backupFile] = await t.dataSource.query(`SELECT file_name FROM backups WHERE id = $1`, [backupJob.result!.backupId]);
    expect(await t.stored('jobs', exportFile.file_name)).toBe(true);
    expect(Object.keys(await rowsMentioning(t, id))).toEqual(
      expect.arrayContaining(['tenants', 'users', 'sets', 'api_tokens', 'scratch_tenants', 'data_jobs', 'backups']),
    );
    const others = await checksumsOutside(t, id);

    const response = await t.http.delete(`/api/tenants/${id}`).set('authorization', `Bearer ${sys}`).send({ confirm: 'qa-gone' }).expect(200);
    expect(response.body).toMatchObject({ tenantId: id, slug: 'qa-gone', scratch: true, backupId: null, backupsDeleted: 1, apiTokensDeleted: 1 });
    expect(response.body.rowsDeleted).toEqual(SMALL_ROWS);
    expect(response.body.jobsDeleted).toBeGreaterThanOrEqual(3); // the clone, the export, the backup job

    expect(await rowsMentioning(t, id)).toEqual({});
    expect(await checksumsOutside(t, id)).toEqual(others);
    expect(await t.stored('jobs', exportFile.file_name)).toBe(false);
    expect(await t.stored('backups', backupFile.file_name)).toBe(false);
    // No backup was taken: a scratch tenant is disposable by declaration.
    const [{ n: preDelete }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM backups WHERE kind = 'pre-delete'`);
    expect(preDelete).toBe(0);
    await t.http.get('/api/tenants').set('authorization', `Bearer ${token.body.token}`).expect(401);
    const audit = await auditRows(id);
    expect(audit).toEqual([
      expect.objectContaining({
        actor_email: SYSADMIN,
        outcome: 'success',
        params: expect.objectContaining({ reason: 'request', confirm: 'qa-gone', rowsDeleted: SMALL_ROWS }),
      }),
    ]);
  });

  it('backs a tenant that is not scratch up first (kind pre-delete, kept), and that backup brings it back', async () => {
    const { report } = await cloneFixture(t, sys, { slug: 'qa-kept' });
    const id = report.targetTenantId!;
    const others = await checksumsOutside(t, id);
    const before: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM sets WHERE tenant_id = $1`, [id]);

    // The id typed back confirms as well as the slug.
    const response = await t.http.delete(`/api/tenants/${id}`).set('authorization', `Bearer ${sys}`).send({ confirm: id.toUpperCase() }).expect(200);
    // The clone's change set goes (its import's job and rows go too); the pre-delete backup stays.
    expect(response.body).toMatchObject({ scratch: false, backupId: expect.any(String), backupsDeleted: 1, rowsDeleted: SMALL_ROWS });
    const [backup] = await t.dataSource.query(`SELECT kind, scope, tenant_id, note, row_counts, file_name FROM backups WHERE id = $1`, [
      response.body.backupId,
    ]);
    expect(backup).toMatchObject({ kind: 'pre-delete', scope: 'tenant', tenant_id: id, note: expect.stringContaining('qa-kept') });
    expect(backup.row_counts).toMatchObject({ tenants: 1, sets: 400 });
    expect(await t.stored('backups', backup.file_name)).toBe(true);
    // Nothing of the tenant is left but its backups (the way back).
    expect(await rowsMentioning(t, id)).toEqual({ backups: 1 });
    expect(await checksumsOutside(t, id)).toEqual(others);

    const restore = await t.http
      .post(`/api/backups/${response.body.backupId}/restore`)
      .set('authorization', `Bearer ${sys}`)
      .send({ dryRun: false })
      .expect(202);
    expect((await waitForJob(t, sys, restore.body.id)).status).toBe('succeeded');
    const after: { n: number }[] = await t.dataSource.query(`SELECT count(*)::int AS n FROM sets WHERE tenant_id = $1`, [id]);
    expect(after).toEqual(before);
    const [{ slug }] = await t.dataSource.query(`SELECT slug FROM tenants WHERE id = $1`, [id]);
    expect(slug).toBe('qa-kept');
  });

  it("refuses an org admin's delete of their own tenant with 403, deletes nothing, and audits the denial", async () => {
    const [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    const before = await checksumsOutside(t, '00000000-0000-4000-8000-000000000000');
    const response = await t.http
      .delete(`/api/tenants/${northside}`)
      .set('authorization', `Bearer ${await t.token(NORTHSIDE_ADMIN)}`)
      .send({ confirm: 'northside' })
      .expect(403);
    expect(response.body).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/system_admin/) });
    expect(await checksumsOutside(t, '00000000-0000-4000-8000-000000000000')).toEqual(before);
    const [denied] = await t.dataSource.query(`SELECT actor_email, params FROM audit_log WHERE action = 'access.denied' ORDER BY id DESC LIMIT 1`);
    expect(denied).toMatchObject({ actor_email: NORTHSIDE_ADMIN, params: { method: 'DELETE', path: `/api/tenants/${northside}`, code: 'FORBIDDEN' } });
  });

  it.each([
    ['the wrong slug', { confirm: 'harbor' }, /type the tenant's slug \(qa-wrong\) or its id/],
    ['the slug in another case', { confirm: 'QA-WRONG' }, /type the tenant's slug/],
    ['no confirmation', {}, /confirm must be/],
  ])('refuses a delete with %s (400 naming confirm), deleting nothing', async (_what, body, message) => {
    const [existing] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'qa-wrong'`);
    const id = (existing?.id as string | undefined) ?? (await cloneFixture(t, sys, { slug: 'qa-wrong', scratch: true })).report.targetTenantId!;
    const before = await rowsMentioning(t, id);
    const audited = (await auditRows(id)).length;
    const response = await t.http.delete(`/api/tenants/${id}`).set('authorization', `Bearer ${sys}`).send(body).expect(400);
    expect(response.body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'confirm', message: expect.stringMatching(message) })]));
    expect(await rowsMentioning(t, id)).toEqual(before);
    const audit = await auditRows(id);
    expect(audit.slice(audited)).toEqual([expect.objectContaining({ outcome: 'failure', actor_email: SYSADMIN })]);
  });

  it('answers 404 for a tenant that does not exist and 400 for an id that is not one', async () => {
    const missing = await t.http
      .delete('/api/tenants/00000000-0000-4000-8000-000000000000')
      .set('authorization', `Bearer ${sys}`)
      .send({ confirm: 'x' })
      .expect(404);
    expect(missing.body.code).toBe('NOT_FOUND');
    await t.http.delete('/api/tenants/northside').set('authorization', `Bearer ${sys}`).send({ confirm: 'northside' }).expect(400);
  });

  it("waits for the tenant's lock like an import, and gives up with 409 TENANT_BUSY when an import holds it; nothing is deleted", async () => {
    const { report } = await cloneFixture(t, sys, { slug: 'qa-locked', scratch: true });
    const id = report.targetTenantId!;
    const holder = new pg.Client({ connectionString: t.db.url });
    await holder.connect();
    try {
      // What a running import holds (transfer/import/tenant-lock.ts).
      await holder.query('BEGIN');
      await holder.query(`SELECT pg_advisory_xact_lock_shared(726339301, 0), pg_advisory_xact_lock(726339300, $1)`, [tenantLockKey(id)]);
      const started = Date.now();
      const response = await t.http.delete(`/api/tenants/${id}`).set('authorization', `Bearer ${sys}`).send({ confirm: 'qa-locked' }).expect(409);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(response.body).toMatchObject({ code: 'TENANT_BUSY', message: expect.stringMatching(/nothing was changed/) });
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM sets WHERE tenant_id = $1`, [id]);
      expect(n).toBe(400);
    } finally {
      await holder.query('ROLLBACK');
      await holder.end();
    }
    await t.http.delete(`/api/tenants/${id}`).set('authorization', `Bearer ${sys}`).send({ confirm: 'qa-locked' }).expect(200);
  });

  it('refuses while a job of the tenant is queued or running, naming what to do; nothing is deleted', async () => {
    const { report } = await cloneFixture(t, sys, { slug: 'qa-busy', scratch: true });
    const id = report.targetTenantId!;
    // A queued row that no worker will take (it never went through the queue).
    const [job] = await t.dataSource.query(`INSERT INTO data_jobs (type, status, tenant_id, params) VALUES ('export', 'queued', $1, '{}') RETURNING id`, [id]);
    const response = await t.http.delete(`/api/tenants/${id}`).set('authorization', `Bearer ${sys}`).send({ confirm: 'qa-busy' }).expect(409);
    expect(response.body.message).toMatch(/has 1 job queued or running: wait for it to finish or cancel it .*nothing was deleted/);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM sets WHERE tenant_id = $1`, [id]);
    expect(n).toBe(400);
    await t.dataSource.query(`UPDATE data_jobs SET status = 'cancelled' WHERE id = $1`, [job.id]);
    await t.http.delete(`/api/tenants/${id}`).set('authorization', `Bearer ${sys}`).send({ confirm: 'qa-busy' }).expect(200);
  });
});
