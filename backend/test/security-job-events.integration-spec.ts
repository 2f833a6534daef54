import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, type TestApp } from './support/test-app.js';

/**
 * GET /api/jobs/:id/events refuses exactly like GET /api/jobs/:id (status, body code, audit rows),
 * before any byte of the event stream: the check is a guard, which runs before Nest starts an SSE
 * response.
 */
describe('job progress stream: who may watch', () => {
  let t: TestApp;
  let northsideJob: string;
  beforeAll(async () => {
    t = await createTestApp();
    const [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    // A finished job: an allowed stream sends its one event and ends.
    [{ id: northsideJob }] = await t.dataSource.query(
      `INSERT INTO data_jobs (type, status, tenant_id, params, finished_at) VALUES ('export', 'succeeded', $1, '{}', now()) RETURNING id`,
      [northside],
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const UNKNOWN = '00000000-0000-4000-8000-000000000000';
  type Who = string | null;
  const call = async (who: Who, path: string, via: 'header' | 'query' = 'header') => {
    const token = who ? await t.token(who) : null;
    const [{ max: before }] = await t.dataSource.query(`SELECT coalesce(max(id), 0)::int AS max FROM audit_log`);
    let request = t.http.get(via === 'query' && token ? `${path}?access_token=${token}` : path);
    if (token && via === 'header') request = request.set('authorization', `Bearer ${token}`);
    const response = await request.buffer(true);
    const audit: { action: string; outcome: string; actor_email: string | null; params: { path?: string; code?: string } }[] = await t.dataSource.query(
      `SELECT action, outcome, actor_email, params FROM audit_log WHERE id > $1 AND action <> 'auth.login' ORDER BY id`,
      [before],
    );
    return {
      status: response.status,
      contentType: String(response.headers['content-type']),
      body: response.body as { code?: string },
      text: response.text,
      audit,
    };
  };

  const cases: { title: string; who: Who; job: () => string; status: number; code: string; audited: boolean }[] = [
    { title: 'an org admin of another tenant', who: HARBOR_ADMIN, job: () => northsideJob, status: 403, code: 'TENANT_FORBIDDEN', audited: true },
    { title: 'an athlete of the job’s own tenant', who: 'athlete1@northside.example', job: () => northsideJob, status: 403, code: 'FORBIDDEN', audited: true },
    { title: 'a coach of the job’s own tenant', who: 'coach1@northside.example', job: () => northsideJob, status: 403, code: 'FORBIDDEN', audited: true },
    { title: 'anyone without a token', who: null, job: () => northsideJob, status: 401, code: 'UNAUTHENTICATED', audited: true },
    // Not a denial on GET /jobs/:id either: no audit row there, none here.
    { title: 'an admin asking for an unknown job id', who: HARBOR_ADMIN, job: () => UNKNOWN, status: 404, code: 'NOT_FOUND', audited: false },
    { title: 'an admin giving a malformed job id', who: HARBOR_ADMIN, job: () => 'not-a-uuid', status: 400, code: 'BAD_REQUEST', audited: false },
  ];

  it.each(cases)('refuses $title with $status $code, exactly as GET /api/jobs/:id does', async (c) => {
    const plain = await call(c.who, `/api/jobs/${c.job()}`);
    const events = await call(c.who, `/api/jobs/${c.job()}/events`);
    expect({ status: plain.status, code: plain.body.code }).toEqual({ status: c.status, code: c.code });
    expect({ status: events.status, code: events.body.code }).toEqual({ status: c.status, code: c.code });
    // A JSON error, and not one byte of an event stream.
    expect(events.contentType).toMatch(/^application\/json/);
    expect(events.text).not.toMatch(/^(data|event|id):/m);
    const denial = (path: string) => ({
      action: 'access.denied',
      outcome: 'denied',
      actor_email: c.who,
      params: expect.objectContaining({ path, code: c.code }),
    });
    expect(plain.audit).toEqual(c.audited ? [denial(`/api/jobs/${c.job()}`)] : []);
    expect(events.audit).toEqual(c.audited ? [denial(`/api/jobs/${c.job()}/events`)] : []);
  });

  it('refuses the token-in-query form that EventSource uses the same way', async () => {
    const events = await call(HARBOR_ADMIN, `/api/jobs/${northsideJob}/events`, 'query');
    expect({ status: events.status, code: events.body.code }).toEqual({ status: 403, code: 'TENANT_FORBIDDEN' });
    expect(events.audit).toEqual([expect.objectContaining({ action: 'access.denied', actor_email: HARBOR_ADMIN })]);
    // The token never reaches the audit log.
    expect(JSON.stringify(events.audit)).not.toContain('access_token');
  });

  it('audits every refused attempt, not only some', async () => {
    const attempts = 8;
    const results = await Promise.all(Array.from({ length: attempts }, () => call(HARBOR_ADMIN, `/api/jobs/${northsideJob}/events`)));
    expect(results.map((r) => r.status)).toEqual(Array(attempts).fill(403));
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_log WHERE action = 'access.denied' AND actor_email = $1 AND params->>'path' = $2`,
      [HARBOR_ADMIN, `/api/jobs/${northsideJob}/events`],
    );
    // Two earlier tests refused this path once each (header, then query form).
    expect(n).toBe(attempts + 2);
  });

  it('streams to an org admin of the job’s tenant (the control)', async () => {
    const events = await call(NORTHSIDE_ADMIN, `/api/jobs/${northsideJob}/events`, 'query');
    expect(events.status).toBe(200);
    expect(events.contentType).toMatch(/^text\/event-stream/);
    const data = events.text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .map((line) => JSON.parse(line.slice(6)) as { id: string; status: string });
    expect(data).toEqual([expect.objectContaining({ id: northsideJob, status: 'succeeded' })]);
    expect(events.audit).toEqual([]);
  });
});
