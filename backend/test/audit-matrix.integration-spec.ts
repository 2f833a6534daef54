import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * Every audited endpoint of the authorisation matrix writes exactly one audit row per request,
 * with the actor and the outcome: allowed, refused by a guard, and refused by the tenant check.
 */
describe('audit rows across the authorisation matrix', () => {
  let t: TestApp;
  let ids: { northside: string; harbor: string; exportJob: string; backup: string };
  beforeAll(async () => {
    t = await createTestApp();
    const [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    const [{ id: harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
    const sys = await t.token(SYSADMIN);
    const exported = await t.http
      .post('/api/exports')
      .set('authorization', `Bearer ${sys}`)
      .send({ scope: 'tenant', tenantId: northside, format: 'sql' })
      .expect(202);
    await waitForJob(t, sys, exported.body.id);
    const backedUp = await t.http.post('/api/backups').set('authorization', `Bearer ${sys}`).send({ scope: 'tenant', tenantId: harbor }).expect(202);
    const backupJob = await waitForJob(t, sys, backedUp.body.id);
    ids = { northside, harbor, exportJob: exported.body.id, backup: (backupJob.result as { backupId: string }).backupId };
  });
  afterAll(async () => {
    await t.close();
  });

  type Case = {
    who: string | null;
    method: 'get' | 'post' | 'delete';
    path: () => string;
    body?: () => object;
    status: number;
    outcome: 'success' | 'denied' | 'failure';
    /** The tenant the row names, where the request acted on one that neither body nor actor gives. */
    tenant?: () => string | null;
    /** Wait until no job is queued or running first (a restore reads the backup: its delete waits, 409). */
    settle?: true;
  };
  const cases: Case[] = [
    { who: null, method: 'post', path: () => '/api/exports', body: () => ({ scope: 'full', format: 'json' }), status: 401, outcome: 'denied' },
    {
      who: 'athlete1@northside.example',
      method: 'post',
      path: () => '/api/exports',
      body: () => ({ scope: 'tenant', format: 'json' }),
      status: 403,
      outcome: 'denied',
    },
    {
      who: NORTHSIDE_ADMIN,
      method: 'post',
      path: () => '/api/exports',
      body: () => ({ scope: 'tenant', tenantId: ids.harbor, format: 'json' }),
      status: 403,
      outcome: 'denied',
    },
    { who: NORTHSIDE_ADMIN, method: 'post', path: () => '/api/exports', body: () => ({ scope: 'global', format: 'json' }), status: 403, outcome: 'denied' },
    { who: NORTHSIDE_ADMIN, method: 'post', path: () => '/api/exports', body: () => ({ scope: 'tenant', format: 'csv' }), status: 202, outcome: 'success' },
    { who: HARBOR_ADMIN, method: 'get', path: () => `/api/exports/${ids.exportJob}/download`, status: 403, outcome: 'denied' },
    {
      who: SYSADMIN,
      method: 'get',
      path: () => `/api/exports/${ids.exportJob}/download`,
      status: 200,
      outcome: 'success',
      tenant: () => ids.northside,
    },
    { who: NORTHSIDE_ADMIN, method: 'post', path: () => '/api/backups', body: () => ({ scope: 'full' }), status: 403, outcome: 'denied' },
    { who: NORTHSIDE_ADMIN, method: 'get', path: () => `/api/backups/${ids.backup}/download`, status: 403, outcome: 'denied' },
    { who: HARBOR_ADMIN, method: 'delete', path: () => `/api/backups/${ids.backup}`, status: 403, outcome: 'denied' },
    { who: NORTHSIDE_ADMIN, method: 'post', path: () => `/api/backups/${ids.backup}/restore`, body: () => ({ dryRun: true }), status: 403, outcome: 'denied' },
    { who: HARBOR_ADMIN, method: 'post', path: () => `/api/backups/${ids.backup}/restore`, body: () => ({ dryRun: true }), status: 202, outcome: 'success' },
    { who: SYSADMIN, method: 'get', path: () => `/api/backups/${ids.backup}/download`, status: 200, outcome: 'success', tenant: () => ids.harbor },
    { who: SYSADMIN, method: 'post', path: () => '/api/imports', body: () => ({}), status: 400, outcome: 'failure' },
    { who: SYSADMIN, method: 'delete', path: () => `/api/backups/${ids.backup}`, status: 204, outcome: 'success', tenant: () => ids.harbor, settle: true },
  ];

  it.each(cases.map((c, i) => [`${i + 1}. ${c.method.toUpperCase()} ${c.who ?? 'anonymous'} → ${c.status} (${c.outcome})`, c] as const))('%s', async (_, c) => {
    for (let i = 0; c.settle && i < 300; i++) {
      const [{ busy }] = await t.dataSource.query(`SELECT count(*)::int AS busy FROM data_jobs WHERE status IN ('queued', 'running')`);
      if (busy === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [{ max: before }] = await t.dataSource.query(`SELECT coalesce(max(id), 0)::int AS max FROM audit_log`);
    let request = t.http[c.method](c.path());
    if (c.who) request = request.set('authorization', `Bearer ${await t.token(c.who)}`);
    const response = c.body ? await request.send(c.body()) : await request;
    expect(response.status).toBe(c.status);
    const rows: { actor_email: string | null; outcome: string; action: string; tenant_id: string | null }[] = await t.dataSource.query(
      `SELECT actor_email, outcome, action, tenant_id FROM audit_log WHERE id > $1 AND action <> 'auth.login' ORDER BY id`,
      [before],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_email: c.who, outcome: c.outcome });
    if (c.tenant) expect(rows[0].tenant_id).toBe(c.tenant());
  });
});
