import jwt from 'jsonwebtoken';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';

describe('auth (real PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('signs in a demo org admin and returns the user with their tenant', async () => {
    const response = await t.http.post('/api/auth/login').send({ email: NORTHSIDE_ADMIN, password: 'rythm-demo' }).expect(200);
    expect(response.body.user).toMatchObject({ email: NORTHSIDE_ADMIN, role: 'org_admin', tenantSlug: 'northside' });
    const me = await t.http.get('/api/auth/me').set('authorization', `Bearer ${response.body.accessToken}`).expect(200);
    expect(me.body.email).toBe(NORTHSIDE_ADMIN);
  });

  it('refuses a wrong password with 401 and writes a failed-login audit row', async () => {
    const response = await t.http.post('/api/auth/login').send({ email: SYSADMIN, password: 'wrong' }).expect(401);
    expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Email or password is wrong' });
    const rows: { outcome: string }[] = await t.dataSource.query(`SELECT outcome FROM audit_log WHERE action = 'auth.login' AND actor_email = $1`, [SYSADMIN]);
    expect(rows.map((r) => r.outcome)).toContain('failure');
  });

  it('rejects a malformed login body with 400 naming the field', async () => {
    const response = await t.http.post('/api/auth/login').send({ email: 'not-an-email' }).expect(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['email', 'password']));
  });

  describe('authorisation matrix on GET /api/auth/me and an admin route', () => {
    const adminRoute = '/api/audit';

    it('no token → 401', async () => {
      await t.http.get('/api/auth/me').expect(401);
    });

    it('bad signature → 401', async () => {
      const forged = jwt.sign({ sub: 'x', role: 'system_admin' }, 'not-the-secret-at-all-123456');
      const response = await t.http.get('/api/auth/me').set('authorization', `Bearer ${forged}`).expect(401);
      expect(response.body.code).toBe('UNAUTHENTICATED');
    });

    it('expired token → 401 saying the session expired', async () => {
      const user: { id: string }[] = await t.dataSource.query(`SELECT id FROM users WHERE email = $1`, [SYSADMIN]);
      const expired = jwt.sign(
        { sub: user[0].id, email: SYSADMIN, role: 'system_admin', tenantId: null, exp: Math.floor(Date.now() / 1000) - 60 },
        t.config.jwtSecret,
      );
      const response = await t.http.get('/api/auth/me').set('authorization', `Bearer ${expired}`).expect(401);
      expect(response.body.message).toMatch(/expired/);
    });

    it.each(['athlete1@northside.example', 'coach1@northside.example'])('%s may read /me but gets 403 on admin routes', async (email) => {
      const token = await t.token(email);
      await t.http.get('/api/auth/me').set('authorization', `Bearer ${token}`).expect(200);
      const response = await t.http.get(adminRoute).set('authorization', `Bearer ${token}`);
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    });

    it('an org admin naming another tenant gets 403, never 500', async () => {
      const token = await t.token(NORTHSIDE_ADMIN);
      const harbor: { tenant_id: string }[] = await t.dataSource.query(`SELECT tenant_id FROM users WHERE email = $1`, [HARBOR_ADMIN]);
      const response = await t.http
        .post('/api/exports')
        .set('authorization', `Bearer ${token}`)
        .send({ scope: 'tenant', tenantId: harbor[0].tenant_id, format: 'json' });
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('TENANT_FORBIDDEN');
    });
  });

  it('GET /api/health is public and reports the database up', async () => {
    const response = await t.http.get('/api/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('serves the OpenAPI document', async () => {
    const response = await t.http.get('/api/docs-json').expect(200);
    expect(Object.keys(response.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/health']));
  });
});

describe('login rate limit', () => {
  it('answers 429 with Retry-After once a client exceeds the per-minute limit', async () => {
    const t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
    try {
      for (let i = 0; i < 3; i++) await t.http.post('/api/auth/login').send({ email: SYSADMIN, password: 'wrong' }).expect(401);
      const response = await t.http.post('/api/auth/login').send({ email: SYSADMIN, password: 'rythm-demo' }).expect(429);
      expect(response.headers['retry-after']).toBeDefined();
      expect(response.body.code).toBe('TOO_MANY_REQUESTS');
    } finally {
      await t.close();
    }
  });
});
