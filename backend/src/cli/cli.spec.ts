import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportReport, JobView } from '../shared/api-types.js';
import { run } from './cli.js';
import type { CliIo } from './io.js';

type Handler = (request: { method: string; path: string; body: unknown; headers: Headers }) => Response | Promise<Response>;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const refused = () => Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });

const job = (overrides: Partial<JobView>): JobView => ({
  id: '11111111-2222-4333-8444-555555555555',
  type: 'import',
  status: 'queued',
  tenantId: null,
  createdBy: null,
  params: {},
  progress: null,
  result: null,
  error: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  startedAt: null,
  finishedAt: null,
  ...overrides,
});

/** The CLI in memory: captured stdout/stderr, an API made of route handlers, a temporary config home. */
function harness(routes: Record<string, Handler> = {}, env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const calls: string[] = [];
  const io: CliIo = {
    env: { RYTHM_API: 'http://api.test', ...env },
    cwd: '/nowhere',
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    stdinIsTTY: false,
    async fetch(input, init = {}) {
      const url = new URL(input);
      const method = init.method ?? 'GET';
      const key = `${method} ${url.pathname}`;
      calls.push(`${key}${url.search}`);
      const handler = routes[key];
      if (!handler) return json({ statusCode: 404, code: 'NOT_FOUND', message: `Cannot ${method} ${url.pathname}` }, 404);
      const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
      return handler({ method, path: url.pathname, body, headers: new Headers(init.headers) });
    },
    prompt: () => Promise.reject(new Error('no terminal in tests')),
    onInterrupt: () => undefined,
  };
  return {
    io,
    calls,
    run: async (...argv: string[]) => {
      const code = await run(argv, io);
      return { code, stdout, stderr };
    },
  };
}

describe('rythm-data exit codes and messages', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'rythm-cli-spec-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('exits 0 with help on stdout for --help, help and a command --help', async () => {
    for (const argv of [['--help'], ['help'], ['help', 'backups', 'restore'], ['export', '--help'], ['jobs', '-h']]) {
      const result = await harness().run(...argv);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^rythm-data/);
      expect(result.stderr).toBe('');
    }
  });

  it('exits 2 with the command list on stderr when no command is given', async () => {
    const result = await harness().run();
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('Usage: rythm-data <command>');
  });

  it('exits 2 for an unknown command, subcommand or option, and for a missing or extra argument', async () => {
    const cases: [string[], string][] = [
      [['deploy'], 'Unknown command "deploy"'],
      [['backups'], '`rythm-data backups` needs a subcommand: list, create, restore, download'],
      [['backups', 'lst'], 'Did you mean "list"?'],
      [['tenants', '--all'], 'Unknown option --all for `rythm-data tenants`'],
      [['jobs', 'show'], 'Missing argument <job-id>'],
      [['jobs', 'show', 'a', 'b'], 'Unexpected argument "b"'],
      [['jobs', 'show', 'not-a-uuid'], 'Give a job id'],
      [['export', '--format', 'xml'], '--format must be one of json, sql, csv'],
      [['tenants', '--api', 'ftp://x'], 'must be an http:// or https:// address'],
    ];
    for (const [argv, message] of cases) {
      const result = await harness().run(...argv);
      expect({ argv, code: result.code }).toEqual({ argv, code: 2 });
      expect(result.stderr).toContain(message);
      expect(result.stderr).toContain('--help` for usage.');
    }
  });

  it('exits 1 and says how to sign in when there is no token', async () => {
    const result = await harness({}, { XDG_CONFIG_HOME: home }).run('tenants');
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('Error: Not signed in to http://api.test: run `rythm-data login --api http://api.test`\n');
  });

  it('exits 1 and asks whether the API runs when it cannot be reached', async () => {
    const h = harness({}, { XDG_CONFIG_HOME: home, RYTHM_TOKEN: 't' });
    h.io.fetch = () => Promise.reject(refused());
    const result = await h.run('tenants');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Cannot reach the API at http://api.test: is it running? (ECONNREFUSED)');
    expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  });

  it('exits 1 with the API message on a refusal, and with --json writes the error as the one document', async () => {
    const routes = {
      'GET /api/tenants': () =>
        json({ statusCode: 403, code: 'FORBIDDEN', message: 'This action needs the role org_admin or system_admin; you are coach' }, 403),
    };
    const result = await harness(routes, { XDG_CONFIG_HOME: home, RYTHM_TOKEN: 't' }).run('tenants', '--json');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('you are coach');
    expect(JSON.parse(result.stdout)).toEqual({
      error: { message: 'This action needs the role org_admin or system_admin; you are coach', exitCode: 1, code: 'FORBIDDEN', status: 403 },
    });
  });

  it('points at login when the API says the session expired', async () => {
    const routes = { 'GET /api/auth/me': () => json({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'Your session has expired: sign in again' }, 401) };
    const result = await harness(routes, { XDG_CONFIG_HOME: home, RYTHM_TOKEN: 'old' }).run('whoami');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Your session has expired');
    expect(result.stderr).toContain('RYTHM_TOKEN');
  });

  it('lists input errors field by field', async () => {
    const routes = {
      'POST /api/exports': () =>
        json(
          {
            statusCode: 400,
            code: 'BAD_REQUEST',
            message: 'Invalid request',
            fields: [{ field: 'modifiedSince', message: 'modifiedSince must be in the past' }],
          },
          400,
        ),
    };
    const result = await harness(routes, { XDG_CONFIG_HOME: home, RYTHM_TOKEN: 't' }).run('export', '--scope', 'global', '--modified-since', '2999-01-01');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('  modifiedSince: modifiedSince must be in the past');
  });

  it('signs in, saves the token 0600 under XDG_CONFIG_HOME keyed by API, and signs out', async () => {
    const routes = {
      'POST /api/auth/login': ({ body }: { body: unknown }) =>
        (body as { password: string }).password === 'right'
          ? json({
              accessToken: 'tok',
              expiresIn: 3600,
              user: { id: 'u', email: 'a@b.c', firstName: 'A', lastName: 'B', role: 'system_admin', tenantId: null, tenantSlug: null },
            })
          : json({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'Email or password is wrong' }, 401),
    };
    const wrong = await harness(routes, { XDG_CONFIG_HOME: home }).run('login', '--email', 'a@b.c', '--password', 'wrong');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('Sign-in to http://api.test failed: Email or password is wrong');

    const ok = await harness(routes, { XDG_CONFIG_HOME: home, RYTHM_PASSWORD: 'right' }).run('login', '--email', 'a@b.c', '--api', 'http://api.test/api/');
    expect(ok.code).toBe(0);
    const file = join(home, 'rythm-data', 'config.json');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).sessions['http://api.test']).toMatchObject({ token: 'tok', email: 'a@b.c', role: 'system_admin' });

    const out = await harness(routes, { XDG_CONFIG_HOME: home }).run('logout');
    expect(out).toMatchObject({ code: 0, stdout: 'Signed out of http://api.test.\n' });
    expect(JSON.parse(await readFile(file, 'utf8')).sessions).toEqual({});
  });

  it('needs --email and a password when not on a terminal (exit 2)', async () => {
    expect((await harness({}, { XDG_CONFIG_HOME: home }).run('login')).code).toBe(2);
    expect((await harness({}, { XDG_CONFIG_HOME: home }).run('login', '--email', 'a@b.c')).stderr).toContain('--password or RYTHM_PASSWORD is required');
  });

  it('exits 1 when the audit chain is broken', async () => {
    const routes = { 'GET /api/audit/verify': () => json({ valid: false, checked: 10, firstBrokenId: '42', message: 'row 42: hash mismatch' }) };
    const result = await harness(routes, { XDG_CONFIG_HOME: home, RYTHM_TOKEN: 't' }).run('audit', 'verify');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('Audit log BROKEN at entry 42 (10 entries checked).\nrow 42: hash mismatch\n');
  });

  describe('backups restore on a terminal', () => {
    const backupId = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
    const routes = (posted: string[]) => ({
      [`GET /api/backups/${backupId}`]: () =>
        json({ id: backupId, kind: 'manual', scope: 'tenant', tenantSlug: 'harbor', tenantId: 't', createdAt: '2026-03-01T10:00:00Z', note: 'before March' }),
      [`POST /api/backups/${backupId}/restore`]: ({ body }: { body: unknown }) => {
        posted.push(JSON.stringify(body));
        return json(job({ type: 'restore' }), 202);
      },
      'GET /api/jobs/11111111-2222-4333-8444-555555555555': () => json(job({ type: 'restore', status: 'succeeded', result: { plan: [], errors: [] } })),
    });

    it('asks first, naming the tenant and the backup, and restores nothing unless the answer is yes', async () => {
      const posted: string[] = [];
      const questions: string[] = [];
      const h = harness(routes(posted), { XDG_CONFIG_HOME: home, RYTHM_TOKEN: 't' });
      h.io.stdinIsTTY = true;
      h.io.prompt = (question) => {
        questions.push(question);
        return Promise.resolve('no');
      };
      const result = await h.run('backups', 'restore', backupId);
      expect(result.code).toBe(1);
      expect(questions[0]).toContain('Restore tenant harbor at http://api.test to the manual backup of 2026-03-01 10:00:00Z ("before March")?');
      expect(posted).toEqual([]);

      h.io.prompt = () => Promise.resolve('yes');
      expect((await h.run('backups', 'restore', backupId)).code).toBe(0);
      expect(posted).toEqual(['{"dryRun":false}']);
    });
  });

  describe('import', () => {
    let bundle: string;
    beforeEach(async () => {
      bundle = join(home, 'bundle.json');
      await writeFile(
        bundle,
        '{"manifest":{"format":"rythm-bundle","formatVersion":1,"scope":"global","source":{"app":"rythm-data","version":"0.1.0"},"createdAt":"2026-01-01T00:00:00Z","tables":[]},\n"data":{},\n"summary":{}}\n',
      );
    });

    const report = (overrides: Partial<ImportReport>): ImportReport => ({
      jobId: job({}).id,
      status: 'succeeded',
      dryRun: true,
      strategy: 'merge',
      manifest: null,
      valid: true,
      errors: [],
      moreErrors: 0,
      plan: [{ table: 'equipment', insert: 2, update: 1, unchanged: 7, delete: 0, skip: 0 }],
      sampleDiffs: [],
      targetTenantId: null,
      backupId: null,
      applied: false,
      ...overrides,
    });

    function routesFor(finalJob: JobView, finalReport: ImportReport, seen: { form?: FormData }) {
      return {
        'POST /api/imports': ({ body }: { body: unknown }) => {
          seen.form = body as FormData;
          return json(job({}), 202);
        },
        'GET /api/jobs/11111111-2222-4333-8444-555555555555': () => json(finalJob),
        'GET /api/imports/11111111-2222-4333-8444-555555555555/report': () => json(finalReport),
      };
    }

    it('uploads with the scope from the manifest, prints the plan and exits 0 on a valid dry run', async () => {
      const seen: { form?: FormData } = {};
      const h = harness(routesFor(job({ status: 'succeeded' }), report({}), seen), { XDG_CONFIG_HOME: home, RYTHM_TOKEN: 't', RYTHM_POLL_MS: '1' });
      h.io.cwd = home;
      const result = await h.run('import', 'bundle.json', '--strategy', 'merge', '--dry-run');
      expect(result.code).toBe(0);
      expect(seen.form?.get('scope')).toBe('global');
      expect(seen.form?.get('dryRun')).toBe('true');
      expect((seen.form?.get('file') as File).name).toBe('bundle.json');
      expect(result.stdout).toContain('table      insert  update  unchanged  delete  skip\n');
      expect(result.stdout).toContain('equipment       2       1          7       0     0\n');
      expect(result.stdout).toContain('Dry run: nothing was written.');
    });

    it('prints the validation errors and exits 1 when validation fails', async () => {
      const failed = report({
        valid: false,
        errors: [{ table: 'exercises', rowId: 'r1', field: 'equipment_id', message: 'references missing equipment e9' }],
        moreErrors: 4,
      });
      const h = harness(routesFor(job({ status: 'failed', error: { code: 'VALIDATION_FAILED', message: '5 errors' } }), failed, {}), {
        XDG_CONFIG_HOME: home,
        RYTHM_TOKEN: 't',
      });
      h.io.cwd = home;
      const result = await h.run('import', 'bundle.json', '--strategy', 'merge');
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('Errors (1; 4 more not listed):');
      expect(result.stdout).toMatch(/^exercises\s+r1\s+equipment_id\s+references missing equipment e9$/m);
      expect(result.stdout).toContain('Validation failed: nothing was written.');
    });

    it('with --json prints the job and the report as one document', async () => {
      const h = harness(routesFor(job({ status: 'succeeded' }), report({}), {}), { XDG_CONFIG_HOME: home, RYTHM_TOKEN: 't' });
      h.io.cwd = home;
      const result = await h.run('import', 'bundle.json', '--strategy', 'skip', '--json');
      expect(result.code).toBe(0);
      const doc = JSON.parse(result.stdout) as { job: JobView; report: ImportReport };
      expect(doc.job.status).toBe('succeeded');
      expect(doc.report.plan[0].table).toBe('equipment');
    });
  });
});
