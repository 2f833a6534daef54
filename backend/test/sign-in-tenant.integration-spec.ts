import { hashPassword } from '../src/auth/password.js';
import { createTestApp, SYSADMIN, type TestApp } from './support/test-app.js';

// Sign-in never guesses between accounts: an email that exists in several organisations needs
// the organisation (`tenant`), and a password that happens to match one of them decides nothing.
const COACH = 'coach1@northside.example';
const PASSWORD = 'rythm-demo';
const TENANT_SIDE = 'tenant-side-password';

describe('sign-in with an organisation (real PostgreSQL)', () => {
  let t: TestApp;
  let copyUserId: string;
  let northsideCoachId: string;
  beforeAll(async () => {
    t = await createTestApp();
    // A second organisation with the same coach address and the same password (a QA clone made
    // without email tags looks like this), and a tenant user sharing the system admin's address.
    const [hash] = await t.dataSource.query(`SELECT password_hash FROM users WHERE email = $1`, [COACH]);
    const [copy] = await t.dataSource.query(`INSERT INTO tenants (name, slug) VALUES ('Northside copy', 'northside-copy') RETURNING id`);
    const [user] = await t.dataSource.query(
      `INSERT INTO users (tenant_id, email, password_hash, first_name, last_name, role) VALUES ($1, $2, $3, 'Copy', 'Coach', 'coach') RETURNING id`,
      [copy.id, COACH, hash.password_hash],
    );
    copyUserId = user.id;
    await t.dataSource.query(`INSERT INTO users (tenant_id, email, password_hash, first_name, last_name, role) VALUES ($1, $2, $3, 'Not', 'Root', 'athlete')`, [
      copy.id,
      SYSADMIN,
      await hashPassword(TENANT_SIDE),
    ]);
    [{ id: northsideCoachId }] = await t.dataSource.query(
      `SELECT u.id FROM users u JOIN tenants t ON t.id = u.tenant_id WHERE u.email = $1 AND t.slug = 'northside'`,
      [COACH],
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const loginRows = (email: string): Promise<{ outcome: string; params: Record<string, unknown> }[]> =>
    t.dataSource.query(`SELECT outcome, params FROM audit_log WHERE action = 'auth.login' AND actor_email = $1 ORDER BY id`, [email]);

  it('refuses an email with accounts in several organisations without the organisation: 400 TENANT_REQUIRED, no token, audited', async () => {
    const before = (await loginRows(COACH)).length;
    const response = await t.http.post('/api/auth/login').send({ email: COACH, password: PASSWORD }).expect(400);
    expect(response.body).toMatchObject({ code: 'TENANT_REQUIRED', fields: [{ field: 'tenant' }] });
    expect(response.body.message).toMatch(/several organisations.*tenant/);
    expect(response.body.accessToken).toBeUndefined();
    const rows = await loginRows(COACH);
    expect(rows.slice(before)).toEqual([expect.objectContaining({ outcome: 'failure', params: expect.objectContaining({ reason: 'tenant-required' }) })]);
  });

  it('answers a wrong password for such an email with the usual 401, which says nothing about organisations', async () => {
    const response = await t.http.post('/api/auth/login').send({ email: COACH, password: 'not-the-password' }).expect(401);
    expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED', message: 'Email or password is wrong' });
  });

  it.each([
    ['northside', () => northsideCoachId],
    ['northside-copy', () => copyUserId],
  ])('signs in to %s when the organisation is given, as that organisation’s account', async (slug, expected) => {
    const response = await t.http.post('/api/auth/login').send({ email: COACH, password: PASSWORD, tenant: slug }).expect(200);
    expect(response.body.user).toMatchObject({ id: expected(), tenantSlug: slug, email: COACH });
    const me = await t.http.get('/api/auth/me').set('authorization', `Bearer ${response.body.accessToken}`).expect(200);
    expect(me.body.id).toBe(expected());
  });

  it('refuses an organisation the email has no account in with the usual 401', async () => {
    const response = await t.http.post('/api/auth/login').send({ email: COACH, password: PASSWORD, tenant: 'harbor' }).expect(401);
    expect(response.body.message).toBe('Email or password is wrong');
  });

  it('refuses a malformed organisation with 400 naming the field and the rule', async () => {
    const response = await t.http.post('/api/auth/login').send({ email: COACH, password: PASSWORD, tenant: 'Not A Slug' }).expect(400);
    expect(response.body.fields).toEqual([expect.objectContaining({ field: 'tenant', message: expect.stringMatching(/lower-case letters/) })]);
  });

  it('lets the email name the platform account without an organisation, never a tenant account that shares it', async () => {
    const root = await t.http.post('/api/auth/login').send({ email: SYSADMIN, password: PASSWORD }).expect(200);
    expect(root.body.user).toMatchObject({ role: 'system_admin', tenantId: null });
    // Without the organisation the email names the platform account, so the tenant account's password opens nothing…
    const guessed = await t.http.post('/api/auth/login').send({ email: SYSADMIN, password: TENANT_SIDE }).expect(401);
    expect(guessed.body.accessToken).toBeUndefined();
    // …and with it, that password opens exactly the tenant account, an athlete.
    const tenantUser = await t.http.post('/api/auth/login').send({ email: SYSADMIN, password: TENANT_SIDE, tenant: 'northside-copy' }).expect(200);
    expect(tenantUser.body.user).toMatchObject({ role: 'athlete', tenantSlug: 'northside-copy' });
    await t.http.post('/api/auth/login').send({ email: SYSADMIN, password: PASSWORD, tenant: 'northside-copy' }).expect(401);
  });

  it('still signs in an email that has one account, without an organisation', async () => {
    const response = await t.http.post('/api/auth/login').send({ email: 'admin@harbor.example', password: PASSWORD }).expect(200);
    expect(response.body.user.tenantSlug).toBe('harbor');
  });
});
