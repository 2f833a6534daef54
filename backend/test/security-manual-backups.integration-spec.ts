import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * Org admins may make manual backups of their own tenant, up to MAX_MANUAL_BACKUPS_PER_TENANT
 * (manual backups are never pruned): written ones and those still queued or running count, under
 * a per-tenant lock, so a burst of requests cannot overshoot. System admins are not capped.
 */
const CAP = 3;

describe('manual backups by org admins: the per-tenant cap', () => {
  let t: TestApp;
  let northside: string;
  let admin: string;
  let sys: string;
  const post = (token: string, body: Record<string, unknown>) => t.http.post('/api/backups').set('authorization', `Bearer ${token}`).send(body);
  const held = async () => {
    const [{ backups }] = await t.dataSource.query(`SELECT count(*)::int AS backups FROM backups WHERE tenant_id = $1 AND kind = 'manual'`, [northside]);
    const [{ jobs }] = await t.dataSource.query(
      `SELECT count(*)::int AS jobs FROM data_jobs WHERE tenant_id = $1 AND type = 'backup' AND params->>'kind' = 'manual' AND status NOT IN ('failed', 'cancelled')`,
      [northside],
    );
    return { backups: backups as number, jobs: jobs as number };
  };
  const refusal = (count: number) =>
    `This tenant has ${count} manual backups (counting those still being written) and org admins may keep at most ${CAP} per tenant (MAX_MANUAL_BACKUPS_PER_TENANT), as manual backups are never pruned. Delete old ones (a system admin can) or ask a system admin to take this backup`;

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_MANUAL_BACKUPS_PER_TENANT: String(CAP) } });
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    admin = await t.token(NORTHSIDE_ADMIN);
    sys = await t.token(SYSADMIN);
  });
  afterAll(async () => {
    await t.close();
  });

  it('admits exactly the cap when an org admin sends a burst of requests at the same moment', async () => {
    const responses = await Promise.all(Array.from({ length: 8 }, (_, i) => post(admin, { scope: 'tenant', note: `burst ${i}` })));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([202, 202, 202, 409, 409, 409, 409, 409]);
    expect((await held()).jobs).toBe(CAP);
    for (const accepted of responses.filter((r) => r.status === 202)) expect((await waitForJob(t, admin, accepted.body.id)).status).toBe('succeeded');
    expect(await held()).toEqual({ backups: CAP, jobs: CAP });
  });

  it('refuses one more with 409 CONFLICT naming the count, the cap and what to do; nothing is queued; audited', async () => {
    const before = await held();
    const [{ max }] = await t.dataSource.query(`SELECT coalesce(max(id), 0)::int AS max FROM audit_log`);
    const response = await post(admin, { scope: 'tenant', note: 'one too many' });
    expect(response.status).toBe(409);
    expect(response.body).toMatchObject({ code: 'CONFLICT', message: refusal(CAP) });
    expect(await held()).toEqual(before);
    const audit = await t.dataSource.query(`SELECT action, outcome, actor_email, tenant_id, params FROM audit_log WHERE id > $1 ORDER BY id`, [max]);
    expect(audit).toEqual([
      {
        action: 'backup.create',
        outcome: 'failure',
        actor_email: NORTHSIDE_ADMIN,
        tenant_id: northside,
        params: expect.objectContaining({ note: 'one too many', error: refusal(CAP) }),
      },
    ]);
  });

  it('keeps the count per tenant: another tenant’s org admin is not held to Northside’s backups', async () => {
    const response = await post(await t.token(HARBOR_ADMIN), { scope: 'tenant' });
    expect(response.status).toBe(202);
    expect((await waitForJob(t, await t.token(HARBOR_ADMIN), response.body.id)).status).toBe('succeeded');
  });

  it('does not cap a system admin (a trusted operator)', async () => {
    const response = await post(sys, { scope: 'tenant', tenantId: northside, note: 'by the operator' });
    expect(response.status).toBe(202);
    expect((await waitForJob(t, sys, response.body.id)).status).toBe('succeeded');
    expect((await held()).backups).toBe(CAP + 1);
  });

  it('admits an org admin again once a system admin has deleted old ones; failed and cancelled jobs never count', async () => {
    // The system admin's backup counts too: 4 held, so two must go for one more.
    const oldest: { id: string }[] = await t.dataSource.query(`SELECT id FROM backups WHERE tenant_id = $1 AND kind = 'manual' ORDER BY created_at LIMIT 2`, [
      northside,
    ]);
    for (const { id } of oldest) await t.http.delete(`/api/backups/${id}`).set('authorization', `Bearer ${sys}`).expect(204);
    await t.dataSource.query(
      `INSERT INTO data_jobs (type, status, tenant_id, params) VALUES ('backup', 'failed', $1, '{"kind":"manual"}'), ('backup', 'cancelled', $1, '{"kind":"manual"}')`,
      [northside],
    );
    const admitted = await post(admin, { scope: 'tenant', note: 'after the clean-up' });
    expect(admitted.status).toBe(202);
    const refused = await post(admin, { scope: 'tenant', note: 'and one more' });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toBe(refusal(CAP));
    expect((await waitForJob(t, admin, admitted.body.id)).status).toBe('succeeded');
    expect((await held()).backups).toBe(CAP);
  });
});
