import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApiTokenCreated, ApiTokenView, ImportReport, JobView, TenantSummary, TenantUserView, UserView } from '../src/shared/api-types.js';
import { QA_FIXTURE } from './support/clone-helpers.js';
import { createTestApp, SYSADMIN, type TestApp } from './support/test-app.js';

/**
 * The CLI's QA commands and the fixture loader as a pipeline runs them (child processes against a
 * real API): API tokens through RYTHM_TOKEN, scratch clones with tagged addresses, `tenants delete`,
 * the loader's output and teardown, and sign-in with an organisation. Needs the backend build (`npx tsc -p tsconfig.build.json`).
 */
const BACKEND = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(BACKEND, 'bin', 'rythm-data.js');
const LOADER = join(BACKEND, '..', 'e2e', 'fixtures', 'load.mjs');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('rythm-data CLI: tokens, scratch clones, tenant deletion, sign-in with an organisation', () => {
  let t: TestApp;
  let api: string;
  let home: string;

  const cli = (args: string[], env: Record<string, string> = {}) => node(BIN, args, env);

  function node(script: string, args: string[], env: Record<string, string> = {}): Promise<CliRun> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...args], {
        cwd: home,
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

  beforeAll(async () => {
    if (!existsSync(join(BACKEND, 'dist', 'cli', 'main.js')))
      throw new Error('Build the backend first: npx tsc -p tsconfig.build.json (the CLI runs from dist/)');
    t = await createTestApp();
    api = await t.listen();
    home = await mkdtemp(join(tmpdir(), 'rythm-cli-qa-'));
    expect((await cli(['login', '--email', SYSADMIN], { RYTHM_PASSWORD: 'rythm-demo' })).code).toBe(0);
  });
  afterAll(async () => {
    await t?.close();
    if (home) await rm(home, { recursive: true, force: true });
  });

  let token: ApiTokenCreated;

  it('makes an API token and prints its secret alone on stdout, once', async () => {
    const run = await cli(['tokens', 'create', '--name', 'cli-ci', '--role', 'system_admin', '--days', '7']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^rdt_[A-Za-z0-9_-]{43}$/);
    expect(run.stderr).toContain('API token "cli-ci" (system_admin) expires');
    const json = await cli(['tokens', 'create', '--name', 'cli-ci-json', '--role', 'system_admin', '--json']);
    token = JSON.parse(json.stdout) as ApiTokenCreated;
    expect(token).toMatchObject({ name: 'cli-ci-json', role: 'system_admin', status: 'active', token: expect.stringMatching(/^rdt_/) });
    const list = JSON.parse((await cli(['tokens', 'list', '--json'])).stdout) as ApiTokenView[];
    expect(list.map((k) => k.name)).toEqual(expect.arrayContaining(['cli-ci', 'cli-ci-json']));
    expect(JSON.stringify(list)).not.toContain(token.token.slice(8));
  });

  it('refuses token options that the API would refuse, before sending anything (exit 2)', async () => {
    const days = await cli(['tokens', 'create', '--name', 'x', '--role', 'system_admin', '--days', '400']);
    expect(days.code).toBe(2);
    expect(days.stderr).toContain('--days must be a whole number from 1 to 365');
    const tenant = await cli(['tokens', 'create', '--name', 'x', '--role', 'org_admin']);
    expect(tenant.code).toBe(2);
    expect(tenant.stderr).toContain('--role org_admin needs --tenant');
  });

  it('works with RYTHM_TOKEN: a scratch clone with tagged addresses, its users, and its deletion', async () => {
    const env = { RYTHM_TOKEN: token.token };
    const whoami = JSON.parse((await cli(['whoami', '--json'], env)).stdout) as { user: UserView; tokenSource: string };
    expect(whoami).toMatchObject({ tokenSource: 'RYTHM_TOKEN', user: { role: 'system_admin', apiToken: { name: 'cli-ci-json' } } });

    const loaded = await cli(
      ['import', QA_FIXTURE('small'), '--as-new-tenant', '--slug', 'qa-cli-1', '--scratch', '--ttl', '2h', '--tag-emails', '--json'],
      env,
    );
    expect(loaded.code).toBe(0);
    const { report } = JSON.parse(loaded.stdout) as { job: JobView; report: ImportReport };
    expect(report.applied).toBe(true);
    const tenants = JSON.parse((await cli(['tenants', '--json'], env)).stdout) as TenantSummary[];
    expect(tenants.find((x) => x.slug === 'qa-cli-1')).toMatchObject({ scratch: true, expiresAt: expect.any(String) });
    const users = JSON.parse((await cli(['tenants', 'users', 'qa-cli-1', '--json'], env)).stdout) as TenantUserView[];
    expect(users.map((u) => u.email)).toContain('coach1+qa-cli-1@qa-small.example');

    const unconfirmed = await cli(['tenants', 'delete', 'qa-cli-1'], env);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('needs --yes when not running in a terminal');
    const deleted = await cli(['tenants', 'delete', 'qa-cli-1', '--yes'], env);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('Deleted tenant qa-cli-1');
    expect(deleted.stdout).toContain('A scratch tenant: no backup was taken.');
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE slug = 'qa-cli-1'`);
    expect(n).toBe(0);
    const [audit] = await t.dataSource.query(`SELECT actor_email, params FROM audit_log WHERE action = 'tenant.delete' ORDER BY id DESC LIMIT 1`);
    expect(audit).toMatchObject({
      actor_email: 'api-token:cli-ci-json',
      params: expect.objectContaining({ via: expect.objectContaining({ name: 'cli-ci-json' }) }),
    });
  });

  it('loads a fixture with the loader (npm run fixtures:load) using RYTHM_TOKEN: the tenant and its users, in text and --json; teardown deletes it', async () => {
    const env = { RYTHM_TOKEN: token.token };
    const text = await node(LOADER, ['small', '--as-new-tenant', '--slug', 'qa-loader-1', '--ttl', '2h'], env);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^tenant {2}qa-loader-1 {2}[0-9a-f-]{36} {2}\(QA qa-loader-1; scratch, deleted after .+\)$/m);
    expect(text.stdout).toContain('password: rythm-qa (every user)');
    expect(text.stdout).toMatch(/^email\s+role\s+name$/m);
    expect(text.stdout).toMatch(/^coach1\+qa-loader-1@qa-small\.example\s+coach\s+Noah Person1$/m);
    const json = await node(LOADER, ['small', '--as-new-tenant', '--slug', 'qa-loader-2', '--json'], env);
    expect(json.code).toBe(0);
    const loaded = JSON.parse(json.stdout) as {
      tenant: { id: string; slug: string; scratch: boolean };
      password: string;
      users: { email: string; role: string }[];
    };
    expect(loaded).toMatchObject({ tenant: { slug: 'qa-loader-2', scratch: true }, password: 'rythm-qa' });
    expect(loaded.users).toHaveLength(6);
    const [{ n: before }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE slug IN ('qa-loader-1', 'qa-loader-2')`);
    expect(before).toBe(2);
    const gone = await node(LOADER, ['teardown', 'qa-loader-1', loaded.tenant.id], env);
    expect(gone.code).toBe(0);
    expect(gone.stdout).toContain('deleted qa-loader-1');
    const [{ n: after }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM tenants WHERE slug IN ('qa-loader-1', 'qa-loader-2')`);
    expect(after).toBe(0);
    const usage = await node(LOADER, ['small', '--ttl', '2h'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('add --as-new-tenant');
  });

  it('says a token cannot manage tokens, and that a revoked RYTHM_TOKEN must be replaced', async () => {
    const env = { RYTHM_TOKEN: token.token };
    const refused = await cli(['tokens', 'list'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('API tokens cannot list, make or revoke API tokens');
    const revoked = await cli(['tokens', 'revoke', token.id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('API token "cli-ci-json" revoked');
    const after = await cli(['tenants'], env);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('was revoked');
    expect(after.stderr).toContain('The token comes from RYTHM_TOKEN: replace or unset it.');
  });

  it('asks for --tenant when the email has accounts in several organisations, and signs in with it', async () => {
    const [hash] = await t.dataSource.query(`SELECT password_hash FROM users WHERE email = 'coach1@northside.example'`);
    const [copy] = await t.dataSource.query(`INSERT INTO tenants (name, slug) VALUES ('Copy', 'northside-cli') RETURNING id`);
    await t.dataSource.query(
      `INSERT INTO users (tenant_id, email, password_hash, first_name, last_name, role) VALUES ($1, 'coach1@northside.example', $2, 'C', 'C', 'coach')`,
      [copy.id, hash.password_hash],
    );
    const env = { RYTHM_PASSWORD: 'rythm-demo', XDG_CONFIG_HOME: join(home, 'coach') };
    const ambiguous = await cli(['login', '--email', 'coach1@northside.example'], env);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('This email has accounts in several organisations');
    expect(ambiguous.stderr).toContain('add --tenant <slug>');
    const chosen = await cli(['login', '--email', 'coach1@northside.example', '--tenant', 'northside-cli', '--json'], env);
    expect(chosen.code).toBe(0);
    expect((JSON.parse(chosen.stdout) as { user: UserView }).user).toMatchObject({ tenantSlug: 'northside-cli', role: 'coach' });
    const bad = await cli(['login', '--email', 'coach1@northside.example', '--tenant', 'North Side'], env);
    expect(bad.code).toBe(2);
  });
});
