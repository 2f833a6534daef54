import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';

describe('audit log (real PostgreSQL)', () => {
  let t: TestApp;
  let northside: string;
  beforeAll(async () => {
    t = await createTestApp();
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
  });
  afterAll(async () => {
    await t.close();
  });

  const rowsFor = (action: string, email: string | null) =>
    t.dataSource.query(`SELECT outcome, role, tenant_id, params FROM audit_log WHERE action = $1 AND actor_email IS NOT DISTINCT FROM $2 ORDER BY id`, [
      action,
      email,
    ]);

  it('writes exactly one row per denied attempt, with the actor when known', async () => {
    const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied'`);
    await t.http.get('/api/audit').expect(401);
    const athlete = await t.token('athlete1@northside.example');
    await t.http.get('/api/audit').set('authorization', `Bearer ${athlete}`).expect(403);
    const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied'`);
    expect(after[0].n - before[0].n).toBe(2);
    const athleteRows = await rowsFor('access.denied', 'athlete1@northside.example');
    expect(athleteRows).toHaveLength(1);
    expect(athleteRows[0]).toMatchObject({
      outcome: 'denied',
      role: 'athlete',
      tenant_id: northside,
      params: { method: 'GET', path: '/api/audit', code: 'FORBIDDEN' },
    });
  });

  it('keeps secrets out of parameters', async () => {
    await t.http.post('/api/auth/login').send({ email: HARBOR_ADMIN, password: 'not-the-password' }).expect(401);
    const rows = await rowsFor('auth.login', HARBOR_ADMIN);
    expect(rows.at(-1)).toMatchObject({ outcome: 'failure' });
    expect(JSON.stringify(rows)).not.toContain('not-the-password');
  });

  it('lists entries with filters and pagination; an org admin sees only their tenant', async () => {
    const sys = await t.token(SYSADMIN);
    const northsideToken = await t.token(NORTHSIDE_ADMIN);
    const all = await t.http.get('/api/audit?pageSize=500').set('authorization', `Bearer ${sys}`).expect(200);
    expect(all.body.total).toBeGreaterThan(2);
    const logins = await t.http.get('/api/audit?action=auth.login&outcome=success&pageSize=2&page=1').set('authorization', `Bearer ${sys}`).expect(200);
    expect(logins.body.items).toHaveLength(2);
    expect(logins.body.items.every((e: { action: string; outcome: string }) => e.action === 'auth.login' && e.outcome === 'success')).toBe(true);
    const own = await t.http.get('/api/audit?pageSize=500').set('authorization', `Bearer ${northsideToken}`).expect(200);
    expect(own.body.items.length).toBeGreaterThan(0);
    expect(own.body.items.every((e: { tenantId: string }) => e.tenantId === northside)).toBe(true);
    const [{ id: harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
    await t.http.get(`/api/audit?tenantId=${harbor}`).set('authorization', `Bearer ${northsideToken}`).expect(403);
    await t.http.get('/api/audit?outcome=maybe').set('authorization', `Bearer ${sys}`).expect(400);
  });

  it('refuses UPDATE and DELETE on audit_log in the database itself', async () => {
    await expect(t.dataSource.query(`UPDATE audit_log SET outcome = 'success'`)).rejects.toThrow(/append-only/);
    await expect(t.dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });

  it('verifies an intact chain, then finds a row altered with the trigger disabled', async () => {
    const sys = await t.token(SYSADMIN);
    // More than ten entries, written concurrently: ids must be walked as numbers, not as text.
    await Promise.all(Array.from({ length: 12 }, () => t.http.get('/api/audit')));
    const page = await t.http.get('/api/audit?pageSize=3').set('authorization', `Bearer ${sys}`).expect(200);
    const ids = page.body.items.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(ids[0]).toBeGreaterThanOrEqual(12);
    const intact = await t.http.get('/api/audit/verify').set('authorization', `Bearer ${sys}`).expect(200);
    expect(intact.body).toMatchObject({ valid: true, firstBrokenId: null });
    expect(intact.body.checked).toBeGreaterThan(12);
    // An org admin verifies the same chain but hears only of their organisation's entries.
    const northsideAdmin = await t.token(NORTHSIDE_ADMIN);
    const [{ id: northside }] = await t.dataSource.query(`SELECT id::text FROM tenants WHERE slug = 'northside'`);
    const [{ n: northsideRows }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE tenant_id = $1`, [northside]);
    expect(northsideRows).toBeGreaterThan(0);
    const ownView = await t.http.get('/api/audit/verify').set('authorization', `Bearer ${northsideAdmin}`).expect(200);
    expect(ownView.body).toMatchObject({ valid: true, checked: northsideRows, firstBrokenId: null });
    expect(northsideRows).toBeLessThan(intact.body.checked);
    const [victim] = await t.dataSource.query(`SELECT id::text FROM audit_log ORDER BY id OFFSET 2 LIMIT 1`);
    await t.dataSource.transaction(async (m) => {
      await m.query(`ALTER TABLE audit_log DISABLE TRIGGER trg_audit_log_append_only`);
      await m.query(`UPDATE audit_log SET outcome = 'success', params = '{"forged":true}' WHERE id = $1`, [victim.id]);
      await m.query(`ALTER TABLE audit_log ENABLE TRIGGER trg_audit_log_append_only`);
    });
    const broken = await t.http.get('/api/audit/verify').set('authorization', `Bearer ${sys}`).expect(200);
    expect(broken.body).toMatchObject({ valid: false, firstBrokenId: victim.id });
    const [{ tenant_id: victimTenant }] = await t.dataSource.query(`SELECT tenant_id::text FROM audit_log WHERE id = $1`, [victim.id]);
    expect(victimTenant).not.toBe(northside);
    const brokenOwnView = await t.http.get('/api/audit/verify').set('authorization', `Bearer ${northsideAdmin}`).expect(200);
    expect(brokenOwnView.body).toMatchObject({ valid: false, firstBrokenId: null, message: expect.stringContaining('outside your organisation') });
  });
});
