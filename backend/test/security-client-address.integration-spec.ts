import { randomUUID } from 'node:crypto';
import { createTestApp, SYSADMIN, type TestApp } from './support/test-app.js';

/**
 * The client address of the audit log and of the sign-in rate limit: X-Forwarded-For counts only
 * when the socket is a proxy named in TRUSTED_PROXIES. supertest connects over loopback, so the
 * app sees 127.0.0.1 (as ::ffff:127.0.0.1 on a dual-stack socket) or ::1.
 */
const LOOPBACK = /^(::ffff:127\.0\.0\.1|127\.0\.0\.1|::1)$/;

async function login(t: TestApp, forwardedFor: string, password = 'wrong-password') {
  const agent = `security-client-address/${randomUUID()}`;
  const response = await t.http.post('/api/auth/login').set('x-forwarded-for', forwardedFor).set('user-agent', agent).send({ email: SYSADMIN, password });
  const rows: { client_ip: string; outcome: string }[] = await t.dataSource.query(
    `SELECT client_ip, outcome FROM audit_log WHERE action = 'auth.login' AND user_agent = $1`,
    [agent],
  );
  return { response, rows };
}

describe('client address with TRUSTED_PROXIES empty (the default)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('trusts no proxy unless told', () => {
    expect(t.config.trustedProxies).toEqual([]);
  });

  it('audits a sign-in that sends X-Forwarded-For with the socket address, not the header', async () => {
    const { response, rows } = await login(t, '203.0.113.9', 'rythm-demo');
    expect(response.status).toBe(200);
    expect(rows).toHaveLength(1);
    expect(rows[0].outcome).toBe('success');
    expect(rows[0].client_ip).toMatch(LOOPBACK);
  });

  it('audits a denied request that sends X-Forwarded-For with the socket address', async () => {
    const agent = `security-client-address/${randomUUID()}`;
    await t.http.get('/api/audit').set('x-forwarded-for', '203.0.113.9').set('user-agent', agent).expect(401);
    const rows: { client_ip: string; action: string }[] = await t.dataSource.query(`SELECT client_ip, action FROM audit_log WHERE user_agent = $1`, [agent]);
    expect(rows).toEqual([{ action: 'access.denied', client_ip: expect.stringMatching(LOOPBACK) }]);
  });

  it('does not let a client escape the sign-in rate limit by rotating X-Forwarded-For', async () => {
    // The limit is 3 a minute per address; the sign-in above used one.
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push((await login(t, `198.51.100.${i}`)).response.status);
    expect(statuses).toEqual([401, 401, 429, 429]);
    const limited = await login(t, '198.51.100.99', 'rythm-demo');
    expect(limited.response.status).toBe(429);
    expect(limited.response.body.code).toBe('TOO_MANY_REQUESTS');
    // A refused attempt never reached the password check: no sign-in row, no token.
    expect(limited.rows).toEqual([]);
    expect(limited.response.body.accessToken).toBeUndefined();
  });
});

describe('client address behind a proxy named in TRUSTED_PROXIES', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { TRUSTED_PROXIES: '127.0.0.1,::1', LOGIN_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('audits a sign-in with the address the proxy forwarded', async () => {
    const { response, rows } = await login(t, '203.0.113.9');
    expect(response.status).toBe(401);
    expect(rows).toEqual([{ client_ip: '203.0.113.9', outcome: 'failure' }]);
  });

  it('takes the address the proxy appended, not one the client put in front of it', async () => {
    const { rows } = await login(t, '198.51.100.7, 203.0.113.20');
    expect(rows).toEqual([{ client_ip: '203.0.113.20', outcome: 'failure' }]);
  });

  it('counts sign-in attempts per forwarded address', async () => {
    expect((await login(t, '203.0.113.30')).response.status).toBe(401);
    expect((await login(t, '203.0.113.30')).response.status).toBe(401);
    expect((await login(t, '203.0.113.30')).response.status).toBe(429);
    // Another client behind the same proxy keeps its own allowance.
    const other = await login(t, '203.0.113.31');
    expect(other.response.status).toBe(401);
    expect(other.rows).toEqual([{ client_ip: '203.0.113.31', outcome: 'failure' }]);
  });
});
