import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import type { AuditVerifyResult, BackupView, ImportReport, JobView, Page, TenantSummary, UserView } from '../src/shared/api-types.js';
import { createTestApp, SYSADMIN, type TestApp } from './support/test-app.js';

/**
 * The `rythm-data` command as a user runs it: a child process (node bin/rythm-data.js, which needs
 * the backend build: `npx tsc -p tsconfig.build.json`) against a real API on a real PostgreSQL,
 * with its own XDG_CONFIG_HOME so it never touches the developer's saved sessions.
 */
const BACKEND = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(BACKEND, 'bin', 'rythm-data.js');
const FIXTURES = join(BACKEND, 'test', 'fixtures', 'import');
const PASSWORD = 'rythm-demo';

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('rythm-data CLI (child process against a running API)', () => {
  let t: TestApp;
  let api: string;
  let home: string;
  let work: string;
  let routes: Set<string>;

  const configFile = () => join(home, 'xdg', 'rythm-data', 'config.json');

  function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        cwd: work,
        env: { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'xdg'), RYTHM_API: api, RYTHM_POLL_MS: '100', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 50_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  const login = () => cli(['login', '--email', SYSADMIN], { RYTHM_PASSWORD: PASSWORD });
  const expectNoStack = (run: CliRun) => expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at .+:\d+:\d+/);

  beforeAll(async () => {
    if (!existsSync(join(BACKEND, 'dist', 'cli', 'main.js')))
      throw new Error('Build the backend first: npx tsc -p tsconfig.build.json (the CLI runs from dist/)');
    t = await createTestApp();
    api = await t.listen();
    home = await mkdtemp(join(tmpdir(), 'rythm-cli-home-'));
    work = await mkdtemp(join(tmpdir(), 'rythm-cli-work-'));
    const docs = await t.http.get('/api/docs-json').expect(200);
    routes = new Set(Object.keys(docs.body.paths as Record<string, unknown>));
  });
  afterAll(async () => {
    await t?.close();
    if (home) await rm(home, { recursive: true, force: true });
    if (work) await rm(work, { recursive: true, force: true });
  });

  describe('usage', () => {
    it('prints the command list for --help and exits 0', async () => {
      const run = await cli(['--help']);
      expect(run.code).toBe(0);
      for (const command of ['login', 'tenants', 'export', 'import <file>', 'backups restore', 'jobs list', 'audit verify'])
        expect(run.stdout).toContain(command);
    });

    it('prints help for a subcommand and exits 0, even next to a mistake', async () => {
      const run = await cli(['backups', 'restore', '--bogus', '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: rythm-data backups restore <backup-id>');
      expect(run.stdout).toContain('--dry-run');
    });

    it('exits 2 with a suggestion for an unknown command', async () => {
      const run = await cli(['tenant']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('Unknown command "tenant". Did you mean "tenants"?');
      expect(run.stdout).toBe('');
    });

    it('exits 2 for an unknown option and for a missing argument', async () => {
      const unknown = await cli(['export', '--colour']);
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('Unknown option --colour for `rythm-data export`');
      const missing = await cli(['import']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('Missing argument <file>');
    });
  });

  describe('signing in', () => {
    it('refuses a wrong password with exit 1 and a clear message, and saves nothing', async () => {
      const run = await cli(['login', '--email', SYSADMIN, '--password', 'not-the-password']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Sign-in to ${api} failed: Email or password is wrong`);
      expectNoStack(run);
      expect(existsSync(configFile())).toBe(false);
    });

    it('says how to sign in when no token is saved', async () => {
      const run = await cli(['tenants']);
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Not signed in to ${api}: run \`rythm-data login --api ${api}\``);
    });

    it('signs in with the demo credentials and saves the token, readable by the user only', async () => {
      const run = await login();
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Signed in to ${api} as ${SYSADMIN} (system_admin)`);
      const info = await stat(configFile());
      expect(info.mode & 0o777).toBe(0o600);
      const saved = JSON.parse(await readFile(configFile(), 'utf8'));
      expect(saved.sessions[api]).toMatchObject({ email: SYSADMIN, role: 'system_admin' });
      expect(saved.sessions[api].token).toMatch(/^ey/);

      const whoami = await cli(['whoami', '--json']);
      expect(whoami.code).toBe(0);
      const me = JSON.parse(whoami.stdout) as { user: UserView; tokenSource: string };
      expect(me.user.email).toBe(SYSADMIN);
      expect(me.tokenSource).toBe('saved');
    });

    it('uses RYTHM_TOKEN over the saved token, and reports a bad one with exit 1', async () => {
      const run = await cli(['whoami'], { RYTHM_TOKEN: 'not-a-token' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('The access token is not valid');
      expect(run.stderr).toContain('RYTHM_TOKEN');
    });
  });

  describe('when the API is down', () => {
    let closedPort: number;
    beforeAll(async () => {
      // A port that was free a moment ago: nothing listens there.
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      closedPort = (server.address() as { port: number }).port;
      await new Promise((resolve) => server.close(resolve));
    });

    it('says it cannot reach the API and exits 1, without a stack trace', async () => {
      const down = `http://127.0.0.1:${closedPort}`;
      const run = await cli(['tenants', '--api', down], { RYTHM_TOKEN: 'any' });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain(`Cannot reach the API at ${down}: is it running?`);
      expectNoStack(run);
      const signIn = await cli(['login', '--api', down, '--email', SYSADMIN, '--password', PASSWORD, '--json']);
      expect(signIn.code).toBe(1);
      expect(JSON.parse(signIn.stdout).error).toMatchObject({ code: 'UNREACHABLE', exitCode: 1 });
    });
  });

  describe('signed in as the system admin', () => {
    beforeAll(async () => {
      expect((await login()).code).toBe(0);
    });

    it('lists the tenants: northside and harbor', async () => {
      expect(routes).toContain('/api/tenants');
      const run = await cli(['tenants']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^slug\s+name\s+id\s+users\s+sessions\s+sets\s+scratch$/m);
      expect(run.stdout).toMatch(/^northside\s/m);
      expect(run.stdout).toMatch(/^harbor\s/m);
      const json = JSON.parse((await cli(['tenants', '--json'])).stdout) as TenantSummary[];
      expect(json.map((x) => x.slug)).toEqual(expect.arrayContaining(['northside', 'harbor']));
    });

    it('lists, shows and cancels jobs', async () => {
      const [queued] = await t.dataSource.query(
        `INSERT INTO data_jobs (type, status, params, progress) VALUES ('export', 'queued', '{"scope":"global"}', '{"phase":"queued","rowsDone":0}') RETURNING id`,
      );
      const [done] = await t.dataSource.query(
        `INSERT INTO data_jobs (type, status, params, result, started_at, finished_at) VALUES ('backup', 'succeeded', '{}', '{"answer":42}', now() - interval '3 seconds', now()) RETURNING id`,
      );
      const list = await cli(['jobs', 'list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toMatch(/^id\s+type\s+status\s+progress\s+created\s+took\s+error$/m);
      expect(list.stdout).toMatch(new RegExp(`^${queued.id}\\s+export\\s+queued`, 'm'));
      const page = JSON.parse((await cli(['jobs', 'list', '--status', 'succeeded', '--type', 'backup', '--json'])).stdout) as Page<JobView>;
      expect(page.items.map((j) => j.id)).toContain(done.id);
      expect(page.items.every((j) => j.status === 'succeeded' && j.type === 'backup')).toBe(true);

      const show = await cli(['jobs', 'show', done.id]);
      expect(show.code).toBe(0);
      expect(show.stdout).toMatch(/^status:\s+succeeded$/m);
      expect(show.stdout).toContain('"answer": 42');

      const cancel = await cli(['jobs', 'cancel', queued.id]);
      expect(cancel.code).toBe(0);
      expect(cancel.stdout).toContain(`Job ${queued.id} cancelled.`);
      const again = await cli(['jobs', 'cancel', queued.id]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('The job has already been cancelled');
    });

    it('verifies the audit log, which holds the sign-ins made through the CLI', async () => {
      const run = await cli(['audit', 'verify']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Audit log intact: [\d,]+ entries checked\.$/m);
      const json = JSON.parse((await cli(['audit', 'verify', '--json'])).stdout) as AuditVerifyResult;
      expect(json.valid).toBe(true);
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_log WHERE action = 'auth.login' AND actor_email = $1 AND outcome = 'failure'`,
        [SYSADMIN],
      );
      expect(n).toBeGreaterThanOrEqual(1);
    });

    it('exports a tenant, waits for the job and downloads the bundle', async () => {
      expect(routes).toContain('/api/exports');
      const run = await cli(['export', '--tenant', 'northside', '--anonymize', '--out', `${work}/exports/`, '--json']);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      const { job, file } = JSON.parse(run.stdout) as { job: JobView; file: { path: string; sizeBytes: number } };
      expect(job.status).toBe('succeeded');
      expect(file.path.startsWith(join(work, 'exports'))).toBe(true);
      const bundle = JSON.parse(await readFile(file.path, 'utf8'));
      expect(bundle.manifest).toMatchObject({ format: 'rythm-bundle', scope: 'tenant' });
      expect(bundle.data.tenants).toHaveLength(1);
      expect(bundle.data.tenants[0].slug).toBe('northside');
    });

    it('exports the global library as gzipped SQL to a named file, in plain output with row counts', async () => {
      expect(routes).toContain('/api/exports');
      const run = await cli(['export', '--scope', 'global', '--format', 'sql', '--compress', '--out', 'library.sql.gz']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Saved ${join(work, 'library.sql.gz')}`);
      expect(run.stdout).toMatch(/^equipment\s+\d+$/m);
      const sql = gunzipSync(await readFile(join(work, 'library.sql.gz'))).toString();
      expect(sql).toContain('COPY "equipment"');
    });

    it('imports a bundle as a new tenant (QA clone) and prints the plan', async () => {
      expect(routes).toContain('/api/imports');
      const exported = await cli(['export', '--tenant', 'harbor', '--out', 'harbor.json', '--json']);
      expect(exported.code).toBe(0);
      const run = await cli(['import', 'harbor.json', '--as-new-tenant', '--slug', 'qa-cli-clone', '--name', 'QA CLI clone']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^table\s+insert\s+update\s+unchanged\s+delete\s+skip$/m);
      expect(run.stdout).toMatch(/^users\s+\d+/m);
      const tenants = JSON.parse((await cli(['tenants', '--json'])).stdout) as TenantSummary[];
      expect(tenants.map((x) => x.slug)).toContain('qa-cli-clone');
    });

    it('dry-runs a merge import and writes nothing', async () => {
      expect(routes).toContain('/api/imports');
      const exported = await cli(['export', '--tenant', 'northside', '--out', 'northside.json', '--json']);
      expect(exported.code).toBe(0);
      const before = await t.dataSource.query(`SELECT count(*)::int AS n FROM data_jobs WHERE type = 'import'`);
      const run = await cli(['import', 'northside.json', '--tenant', 'northside', '--strategy', 'merge', '--dry-run', '--json']);
      expect(run.code).toBe(0);
      const { job, report } = JSON.parse(run.stdout) as { job: JobView; report: ImportReport };
      expect(job.status).toBe('succeeded');
      expect(report).toMatchObject({ dryRun: true, valid: true, applied: false });
      const after = await t.dataSource.query(`SELECT count(*)::int AS n FROM data_jobs WHERE type = 'import'`);
      expect(after[0].n).toBe(before[0].n + 1);
    });

    it('loads the fixture tenant bundle (gzipped SQL) with the plan the import corpus expects', async () => {
      expect(routes).toContain('/api/imports');
      const run = await cli(['import', join(FIXTURES, 'ok', 'fixture-tenant.sql.gz'), '--strategy', 'merge']);
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^tenants\s+1\s+0\s+0\s+0\s+0$/m);
      expect(run.stdout).toMatch(/^sets\s+3\s+0\s+0\s+0\s+0$/m);
      expect(run.stdout).toContain('Applied in one transaction');
      const tenants = JSON.parse((await cli(['tenants', '--json'])).stdout) as TenantSummary[];
      expect(tenants.map((x) => x.slug)).toContain('fixture-gym');
    });

    it('undoes the fixture load: the check first, refused outside a terminal without --yes, then undone with --yes', async () => {
      const [{ id: jobId }] = await t.dataSource.query(
        `SELECT j.id FROM data_jobs j JOIN tenants t ON t.id = (j.result->>'targetTenantId')::uuid
          WHERE j.type = 'import' AND t.slug = 'fixture-gym' AND (j.result->>'applied')::boolean ORDER BY j.created_at DESC LIMIT 1`,
      );
      const check = await cli(['import', 'undo', jobId, '--dry-run']);
      expect(check.code).toBe(0);
      expect(check.stdout).toMatch(/^sets\s+3\b/m);
      const unconfirmed = await cli(['import', 'undo', jobId]);
      expect(unconfirmed.code).toBe(2);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE slug = 'fixture-gym'`))[0].n).toBe(1);
      const run = await cli(['import', 'undo', jobId, '--yes']);
      expect(run.code).toBe(0);
      expectNoStack(run);
      expect((await t.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE slug = 'fixture-gym'`))[0].n).toBe(0);
    });

    it('exits 1 and lists table, row, field and message when validation fails', async () => {
      expect(routes).toContain('/api/imports');
      const run = await cli(['import', join(FIXTURES, 'not-ok', 'business-rules.json'), '--strategy', 'merge', '--dry-run']);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^table\s+row\s+field\s+message$/m);
      expect(run.stdout).toMatch(/^sets\s+77874734-e47b-44e6-a2b6-32f8b4617ace\s+rpe\s+.*between 0 and 10/m);
      expect(run.stdout).toContain('Validation failed: nothing was written.');
      expectNoStack(run);
    });

    it('exits 1 with the reason when the bundle was changed after export', async () => {
      expect(routes).toContain('/api/imports');
      const run = await cli(['import', join(FIXTURES, 'not-ok', 'checksum-mismatch.json'), '--strategy', 'merge', '--json']);
      expect(run.code).toBe(1);
      const { job, report } = JSON.parse(run.stdout) as { job: JobView; report: ImportReport | null };
      expect(job.status).toBe('failed');
      expect(job.error?.code).toBe('INVALID_BUNDLE');
      if (report) expect(report.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'summary.sha256' })]));
    });

    it('creates, lists and downloads a backup; a restore outside a terminal needs --yes', async () => {
      expect(routes).toContain('/api/backups');
      const created = await cli(['backups', 'create', '--tenant', 'northside', '--note', 'cli test', '--json']);
      expect(created.code).toBe(0);
      expect((JSON.parse(created.stdout) as { job: JobView }).job.status).toBe('succeeded');

      const list = JSON.parse((await cli(['backups', 'list', '--tenant', 'northside', '--json'])).stdout) as Page<BackupView>;
      const backup = list.items.find((b) => b.note === 'cli test');
      expect(backup).toBeDefined();
      const plain = await cli(['backups', 'list']);
      expect(plain.stdout).toMatch(new RegExp(`^${backup!.id}\\s+\\S+ \\S+\\s+manual\\s+tenant\\s+northside`, 'm'));

      const download = await cli(['backups', 'download', backup!.id, '--out', `${work}/backups/`]);
      expect(download.code).toBe(0);
      const files = await readdir(join(work, 'backups'));
      expect(files).toHaveLength(1);
      expect(gunzipSync(await readFile(join(work, 'backups', files[0]))).toString()).toContain('COPY "tenants"');

      const refused = await cli(['backups', 'restore', backup!.id]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('add --yes to confirm');
    });

    it('dry-runs a restore of a backup, then restores it with --yes', async () => {
      const created = JSON.parse((await cli(['backups', 'create', '--tenant', 'harbor', '--note', 'cli restore', '--json'])).stdout) as { job: JobView };
      expect(created.job.status).toBe('succeeded');
      const list = JSON.parse((await cli(['backups', 'list', '--tenant', 'harbor', '--json'])).stdout) as Page<BackupView>;
      const backup = list.items.find((b) => b.note === 'cli restore')!;
      const dryRun = await cli(['backups', 'restore', backup.id, '--dry-run']);
      expect(dryRun.code).toBe(0);
      expect(dryRun.stdout).toMatch(/^table\s+insert\s+update\s+unchanged\s+delete\s+skip$/m);
      expect(dryRun.stdout).toContain('Dry run: nothing was written.');
      const restored = await cli(['backups', 'restore', backup.id, '--yes', '--json']);
      expect(restored.code).toBe(0);
      expect((JSON.parse(restored.stdout) as { job: JobView }).job.status).toBe('succeeded');
    });

    it('forgets the token on logout', async () => {
      const run = await cli(['logout']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`Signed out of ${api}.`);
      expect(JSON.parse(await readFile(configFile(), 'utf8')).sessions[api]).toBeUndefined();
      expect((await cli(['whoami'])).code).toBe(1);
    });
  });
});
