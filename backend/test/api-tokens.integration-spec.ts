import { createHash } from 'node:crypto';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * API tokens for CI: made by a signed-in system admin, shown once and kept as a sha256 only,
 * refused from the next request on once revoked or expired, never more than their role and
 * tenant, and named in every audit row written with them.
 */
interface Created {
  id: string;
  token: string;
  name: string;
  role: string;
  tenantId: string | null;
}

describe('API tokens (real PostgreSQL)', () => {
  let t: TestApp;
  let northside: string;
  let harbor: string;
  const sys = async () => ({ authorization: `Bearer ${await t.token(SYSADMIN)}` });
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  async function make(body: Record<string, unknown>): Promise<Created> {
    const response = await t.http
      .post('/api/api-tokens')
      .set(await sys())
      .send(body)
      .expect(201);
    return response.body as Created;
  }
  const lastAudit = async (action: string) =>
    (
      await t.dataSource.query(`SELECT actor_id, actor_email, role, tenant_id, params, outcome FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1`, [
        action,
      ])
    )[0] as {
      actor_id: string;
      actor_email: string;
      role: string;
      tenant_id: string | null;
      params: Record<string, unknown>;
      outcome: string;
    };

  beforeAll(async () => {
    t = await createTestApp();
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    [{ id: harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
  });
  afterAll(async () => {
    await t.close();
  });

  it('shows the secret once and stores only its sha256: no column and no audit row holds it', async () => {
    const created = await make({ name: 'ci-nightly', role: 'system_admin', expiresInDays: 30 });
    expect(created.token).toMatch(/^rdt_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ name: 'ci-nightly', role: 'system_admin', tenantId: null, status: 'active', hint: created.token.slice(0, 8) });
    const [row] = await t.dataSource.query(`SELECT token_hash, row_to_json(k)::text AS everything FROM api_tokens k WHERE id = $1`, [created.id]);
    expect(row.token_hash).toBe(createHash('sha256').update(created.token).digest('hex'));
    expect(row.everything).not.toContain(created.token.slice(8));
    const [audit] = await t.dataSource.query(`SELECT count(*)::int AS n FROM audit_log WHERE params::text LIKE '%' || $1 || '%'`, [created.token.slice(8)]);
    expect(audit.n).toBe(0);
    expect(await lastAudit('api-token.create')).toMatchObject({
      outcome: 'success',
      actor_email: SYSADMIN,
      params: expect.objectContaining({ name: 'ci-nightly' }),
    });
    // The expiry is what was asked for, to the minute.
    const expires = Date.parse((created as unknown as { expiresAt: string }).expiresAt);
    expect(Math.abs(expires - (Date.now() + 30 * 86_400_000))).toBeLessThan(60_000);
  });

  it('lists name, role, tenant, created, last used and expiry, never a secret', async () => {
    const created = await make({ name: 'northside-ci', role: 'org_admin', tenantId: northside });
    await t.http.get('/api/tenants').set(as(created.token)).expect(200);
    const list = await t.http
      .get('/api/api-tokens')
      .set(await sys())
      .expect(200);
    const listed = (list.body as Record<string, unknown>[]).find((k) => k.id === created.id);
    expect(listed).toMatchObject({
      name: 'northside-ci',
      role: 'org_admin',
      tenantId: northside,
      tenantSlug: 'northside',
      createdByEmail: SYSADMIN,
      status: 'active',
    });
    expect(listed?.lastUsedAt).toEqual(expect.any(String));
    expect(listed?.expiresAt).toEqual(expect.any(String));
    expect(JSON.stringify(list.body)).not.toContain(created.token.slice(8));
    expect(list.body.every((k: Record<string, unknown>) => !('token' in k) && !('tokenHash' in k))).toBe(true);
  });

  it('works where a sign-in works (header and the event stream query), and names itself in the audit rows it writes', async () => {
    const created = await make({ name: 'pipeline-42', role: 'system_admin' });
    const me = await t.http.get('/api/auth/me').set(as(created.token)).expect(200);
    expect(me.body).toMatchObject({ id: created.id, role: 'system_admin', apiToken: { id: created.id, name: 'pipeline-42' } });
    const job = await t.http.post('/api/backups').set(as(created.token)).send({ scope: 'tenant', tenantId: harbor, note: 'by token' }).expect(202);
    expect((await waitForJob(t, created.token, job.body.id)).status).toBe('succeeded');
    const events = await t.http.get(`/api/jobs/${job.body.id}/events?access_token=${created.token}`).expect(200);
    expect(events.text).toContain('succeeded');
    const row = await lastAudit('backup.create');
    expect(row).toMatchObject({ actor_id: created.id, actor_email: 'api-token:pipeline-42', role: 'system_admin', tenant_id: harbor });
    expect(row.params.via).toEqual({ kind: 'api-token', id: created.id, name: 'pipeline-42' });
    const [backup] = await t.dataSource.query(`SELECT created_by FROM backups WHERE job_id = $1`, [job.body.id]);
    expect(backup.created_by).toBe(created.id);
  });

  it('is refused from the very next request once revoked, and the revocation is audited', async () => {
    const created = await make({ name: 'to-revoke', role: 'system_admin' });
    await t.http.get('/api/tenants').set(as(created.token)).expect(200);
    const revoked = await t.http
      .delete(`/api/api-tokens/${created.id}`)
      .set(await sys())
      .expect(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    const refused = await t.http.get('/api/tenants').set(as(created.token)).expect(401);
    expect(refused.body).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/"to-revoke" was revoked/) });
    const [row] = await t.dataSource.query(`SELECT revoked_at IS NOT NULL AS revoked, revoked_by FROM api_tokens WHERE id = $1`, [created.id]);
    expect(row.revoked).toBe(true);
    expect(await lastAudit('api-token.revoke')).toMatchObject({ outcome: 'success', actor_email: SYSADMIN });
    await t.http
      .delete(`/api/api-tokens/${created.id}`)
      .set(await sys())
      .expect(409);
    // The refused attempt is audited, naming the revoked token.
    const denied = await lastAudit('access.denied');
    expect(denied).toMatchObject({
      actor_email: null,
      params: expect.objectContaining({ path: '/api/tenants', via: { kind: 'api-token', id: created.id, name: 'to-revoke' } }),
    });
  });

  it('is refused at once when it has expired', async () => {
    const created = await make({ name: 'short-lived', role: 'system_admin', expiresInDays: 1 });
    await t.http.get('/api/tenants').set(as(created.token)).expect(200);
    await t.dataSource.query(`UPDATE api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [created.id]);
    const refused = await t.http.get('/api/tenants').set(as(created.token)).expect(401);
    expect(refused.body.message).toMatch(/"short-lived" expired at/);
    const list = await t.http
      .get('/api/api-tokens')
      .set(await sys())
      .expect(200);
    expect(list.body.find((k: { id: string }) => k.id === created.id).status).toBe('expired');
  });

  it('refuses a token it never issued, and one that is not an rdt_ token at all', async () => {
    const unknown = `rdt_${'A'.repeat(43)}`;
    expect((await t.http.get('/api/tenants').set(as(unknown)).expect(401)).body.message).toMatch(/unknown/);
    expect((await t.http.get('/api/tenants').set(as('rdt_short')).expect(401)).body.message).toMatch(/not an rdt_/);
  });

  describe('never more than its role and tenant', () => {
    let orgToken: string;
    beforeAll(async () => {
      orgToken = (await make({ name: 'northside-only', role: 'org_admin', tenantId: northside })).token;
    });

    it('sees only its own tenant', async () => {
      const tenants = await t.http.get('/api/tenants').set(as(orgToken)).expect(200);
      expect(tenants.body.map((x: { slug: string }) => x.slug)).toEqual(['northside']);
      const audit = await t.http.get('/api/audit').set(as(orgToken)).expect(200);
      expect(audit.body.items.every((e: { tenantId: string | null }) => e.tenantId === northside)).toBe(true);
    });

    type Case = readonly [string, 'get' | 'post' | 'delete', string, () => Record<string, unknown> | undefined, number, string];
    it.each<Case>([
      ['exports another tenant', 'post', '/api/exports', () => ({ scope: 'tenant', tenantId: harbor, format: 'json' }), 403, 'TENANT_FORBIDDEN'],
      [
        'exports credentials',
        'post',
        '/api/exports',
        () => ({ scope: 'tenant', tenantId: northside, format: 'json', includeCredentials: true }),
        403,
        'FORBIDDEN',
      ],
      ['exports the full system', 'post', '/api/exports', () => ({ scope: 'full', format: 'json' }), 403, 'FORBIDDEN'],
      ['makes a token', 'post', '/api/api-tokens', () => ({ name: 'escalate', role: 'system_admin' }), 403, 'FORBIDDEN'],
      ['lists tokens', 'get', '/api/api-tokens', () => undefined, 403, 'FORBIDDEN'],
      ['deletes its own tenant', 'delete', '/api/tenants/NORTHSIDE', () => ({ confirm: 'northside' }), 403, 'FORBIDDEN'],
      ['sets its tenant’s passwords', 'post', '/api/tenants/NORTHSIDE/password', () => ({ password: 'a-long-password' }), 403, 'FORBIDDEN'],
    ])('an org_admin token that %s (%s %s) is refused, and nothing happens', async (_what, method, path, body, status, code) => {
      const url = path.replace('NORTHSIDE', northside);
      const hashes = await t.dataSource.query(`SELECT md5(string_agg(password_hash, ',' ORDER BY id)) AS h FROM users WHERE tenant_id = $1`, [northside]);
      const [{ n: jobsBefore }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM data_jobs`);
      const [{ n: tokensBefore }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM api_tokens`);
      const request = t.http[method](url).set(as(orgToken));
      const response = await (body() === undefined ? request : request.send(body()));
      expect(response.status).toBe(status);
      expect(response.body.code).toBe(code);
      const [{ n: jobsAfter }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM data_jobs`);
      const [{ n: tokensAfter }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM api_tokens`);
      expect([jobsAfter, tokensAfter]).toEqual([jobsBefore, tokensBefore]);
      const [{ n: tenants }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE id = ANY($1)`, [[harbor, northside]]);
      expect(tenants).toBe(2);
      expect(await t.dataSource.query(`SELECT md5(string_agg(password_hash, ',' ORDER BY id)) AS h FROM users WHERE tenant_id = $1`, [northside])).toEqual(
        hashes,
      );
    });

    it('a system_admin token cannot make, list or revoke tokens either: a token never outlives its revocation', async () => {
      const root = await make({ name: 'root-ci', role: 'system_admin' });
      const minted = await t.http.post('/api/api-tokens').set(as(root.token)).send({ name: 'child', role: 'system_admin' }).expect(403);
      expect(minted.body.message).toMatch(/sign in as a system admin/);
      await t.http.get('/api/api-tokens').set(as(root.token)).expect(403);
      await t.http.delete(`/api/api-tokens/${root.id}`).set(as(root.token)).expect(403);
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM api_tokens WHERE name = 'child'`);
      expect(n).toBe(0);
    });

    it('an org admin user cannot make tokens', async () => {
      await t.http
        .post('/api/api-tokens')
        .set({ authorization: `Bearer ${await t.token(NORTHSIDE_ADMIN)}` })
        .send({ name: 'mine', role: 'org_admin', tenantId: northside })
        .expect(403);
      await t.http
        .post('/api/api-tokens')
        .set({ authorization: `Bearer ${await t.token(HARBOR_ADMIN)}` })
        .send({ name: 'mine', role: 'system_admin' })
        .expect(403);
    });
  });

  it.each([
    [{ name: 'x', role: 'system_admin', expiresInDays: 366 }, 'expiresInDays', /must not be greater than 365/],
    [{ name: 'x', role: 'system_admin', expiresInDays: 0 }, 'expiresInDays', /must not be less than 1/],
    [{ name: 'x', role: 'org_admin' }, 'tenantId', /required for an org_admin token/],
    [{ name: 'x', role: 'system_admin', tenantId: '00000000-0000-4000-8000-000000000000' }, 'tenantId', /must be absent/],
    [{ name: ' padded', role: 'system_admin' }, 'name', /1–100 characters/],
    [{ name: 'x', role: 'coach' }, 'role', /role must be one of/],
  ])('refuses %j with 400 naming %s', async (body, field, message) => {
    const response = await t.http
      .post('/api/api-tokens')
      .set(await sys())
      .send(body)
      .expect(400);
    const fields = response.body.fields as { field: string; message: string }[];
    expect(fields.find((f) => f.field === field)?.message).toMatch(message);
  });

  it('refuses an org_admin token for a tenant that does not exist with 404', async () => {
    await t.http
      .post('/api/api-tokens')
      .set(await sys())
      .send({ name: 'ghost', role: 'org_admin', tenantId: '00000000-0000-4000-8000-000000000000' })
      .expect(404);
  });
});
