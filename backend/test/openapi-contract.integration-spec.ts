import type { OpenAPIObject, ResponseObject } from '@nestjs/swagger';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response, Test } from 'supertest';
import { createApp } from '../src/bootstrap.js';
import { buildOpenApiDocument } from '../src/common/openapi-document.js';
import { DEMO_PASSWORD } from '../src/database/seed/demo-seed.js';
import type { ImportReport, JobView } from '../src/shared/api-types.js';
import { type Answer, OpenApiContract } from './support/openapi-contract.js';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

const COACH = 'coach1@northside.example';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';
const FIXTURES = join(import.meta.dirname, 'fixtures', 'import');

/** What the cases pass on to later ones: they run in order, as a user would. */
interface Context {
  northside: string;
  harbor: string;
  exportJob: string;
  bundle: string;
  dryRun: string;
  applied: string;
  invalidDryRun: string;
  queuedImport: string;
  failedExport: string;
  backup: string;
  restore: string;
}

type Request = [url: string, who: string | null, build?: (request: Test) => Test];

interface Case {
  /** The operation of the document, `METHOD /path/{param}`. */
  op: string;
  status: number;
  title: string;
  /** The url, then who asks (null: no token) and what else the request carries. */
  request: () => Request | Promise<Request>;
  /** Runs first (wait for a job, set up a row). */
  before?: () => Promise<void>;
  /** What the answer tells later cases. */
  after?: (answer: Answer) => void;
}

/**
 * The OpenAPI document against the real API: every operation of GET /api/docs-json is called with
 * valid requests and some refused ones, and each answer must keep the status, media type and
 * schema the document gives it. An operation without a case fails, so a new route needs one.
 */
describe('the OpenAPI document holds for every route', () => {
  let t: TestApp;
  let document: OpenAPIObject;
  let contract: OpenApiContract;
  let scratch: string;
  const ctx = {} as Context;

  const token = async (who: string) => t.token(who);
  const wait = async (job: string, who = SYSADMIN): Promise<JobView> => waitForJob(t, await token(who), job);
  const raw = (response: Response, done: (error: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  };
  const send = async (op: string, url: string, who: string | null, build?: (request: Test) => Test): Promise<Answer> => {
    const method = op.split(' ')[0].toLowerCase() as 'get' | 'post' | 'delete';
    let request = t.http[method](url);
    if (who) request = request.set('authorization', `Bearer ${await token(who)}`);
    if (build) request = build(request);
    const response = await request.buffer(true).parse(raw);
    const contentType = String(response.headers['content-type'] ?? '').split(';')[0];
    const bytes = response.body as Buffer;
    const body = contentType === 'application/json' ? (JSON.parse(bytes.toString('utf8')) as unknown) : undefined;
    return { status: response.status, contentType, raw: bytes, body };
  };

  beforeAll(async () => {
    t = await createTestApp({ env: { MAX_UPLOAD_MB: '1' } });
    scratch = await mkdtemp(join(tmpdir(), 'rythm-openapi-contract-'));
    [{ id: ctx.northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    [{ id: ctx.harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
    document = (await t.http.get('/api/docs-json').expect(200)).body as OpenAPIObject;
    contract = new OpenApiContract(document);
  });
  afterAll(async () => {
    await t.close();
    await rm(scratch, { recursive: true, force: true });
  });

  const sql = async (query: string, args: unknown[]) => (await t.dataSource.query<{ id: string }[]>(query, args))[0].id;
  const job = (answer: Answer) => (answer.body as JobView).id;
  /** A listing must hold items, or their schema goes unchecked. */
  const listsItems = (answer: Answer) => {
    const body = answer.body as { items?: unknown[] } | unknown[];
    expect((Array.isArray(body) ? body : (body.items ?? [])).length).toBeGreaterThan(0);
  };

  const cases: Case[] = [
    { op: 'GET /api/health', status: 200, title: 'anyone asks whether the server is up', request: () => ['/api/health', null] },
    {
      op: 'POST /api/auth/login',
      status: 200,
      title: 'a system admin signs in',
      request: () => ['/api/auth/login', null, (r) => r.send({ email: SYSADMIN, password: DEMO_PASSWORD })],
    },
    {
      op: 'POST /api/auth/login',
      status: 400,
      title: 'a sign-in without a password',
      request: () => ['/api/auth/login', null, (r) => r.send({ email: SYSADMIN })],
    },
    {
      op: 'POST /api/auth/login',
      status: 401,
      title: 'a sign-in with the wrong password',
      request: () => ['/api/auth/login', null, (r) => r.send({ email: SYSADMIN, password: 'not-the-password' })],
    },
    { op: 'GET /api/auth/me', status: 200, title: 'an org admin reads who they are', request: () => ['/api/auth/me', NORTHSIDE_ADMIN] },
    { op: 'GET /api/tenants', status: 200, title: 'a system admin lists the tenants', request: () => ['/api/tenants', SYSADMIN], after: listsItems },
    { op: 'GET /api/tenants', status: 403, title: 'a coach lists the tenants', request: () => ['/api/tenants', COACH] },

    // An export, its job and its file.
    {
      op: 'POST /api/exports',
      status: 202,
      title: 'an org admin exports their tenant',
      request: () => ['/api/exports', NORTHSIDE_ADMIN, (r) => r.send({ scope: 'tenant', format: 'json', compress: true })],
      after: (answer) => (ctx.exportJob = job(answer)),
    },
    {
      op: 'POST /api/exports',
      status: 400,
      title: 'an export of an unknown scope',
      request: () => ['/api/exports', SYSADMIN, (r) => r.send({ scope: 'all', format: 'json' })],
    },
    {
      op: 'POST /api/exports',
      status: 403,
      title: 'an org admin exports everything',
      request: () => ['/api/exports', NORTHSIDE_ADMIN, (r) => r.send({ scope: 'full', format: 'sql' })],
    },
    {
      op: 'POST /api/exports',
      status: 404,
      title: 'an export of a tenant that does not exist',
      request: () => ['/api/exports', SYSADMIN, (r) => r.send({ scope: 'tenant', tenantId: UNKNOWN, format: 'csv' })],
    },
    {
      op: 'GET /api/jobs/{id}',
      status: 200,
      title: 'an org admin reads their finished export job',
      before: async () => void (await wait(ctx.exportJob, NORTHSIDE_ADMIN)),
      request: () => [`/api/jobs/${ctx.exportJob}`, NORTHSIDE_ADMIN],
    },
    { op: 'GET /api/jobs/{id}', status: 400, title: 'a job id that is not a UUID', request: () => ['/api/jobs/not-a-uuid', SYSADMIN] },
    { op: 'GET /api/jobs/{id}', status: 403, title: 'an org admin reads another tenant’s job', request: () => [`/api/jobs/${ctx.exportJob}`, HARBOR_ADMIN] },
    { op: 'GET /api/jobs/{id}', status: 404, title: 'a job that does not exist', request: () => [`/api/jobs/${UNKNOWN}`, SYSADMIN] },
    {
      op: 'GET /api/jobs/{id}/events',
      status: 200,
      title: 'the progress stream of a finished job, token in the query as EventSource sends it',
      request: async () => [`/api/jobs/${ctx.exportJob}/events?access_token=${await token(NORTHSIDE_ADMIN)}`, null],
    },
    {
      op: 'GET /api/jobs/{id}/events',
      status: 404,
      title: 'the stream of a job that does not exist',
      request: () => [`/api/jobs/${UNKNOWN}/events`, SYSADMIN],
    },
    {
      op: 'GET /api/jobs',
      status: 200,
      title: 'a system admin lists succeeded exports, page by page',
      request: () => ['/api/jobs?type=export&status=succeeded&page=1&pageSize=5', SYSADMIN],
      after: listsItems,
    },
    { op: 'GET /api/jobs', status: 400, title: 'a page larger than the API serves', request: () => ['/api/jobs?pageSize=1000', SYSADMIN] },
    {
      op: 'GET /api/exports/{jobId}/download',
      status: 200,
      title: 'the export’s own user downloads it',
      request: () => [`/api/exports/${ctx.exportJob}/download`, NORTHSIDE_ADMIN],
    },
    {
      op: 'GET /api/exports/{jobId}/download',
      status: 403,
      title: 'another tenant’s admin downloads it',
      request: () => [`/api/exports/${ctx.exportJob}/download`, HARBOR_ADMIN],
    },
    {
      op: 'GET /api/exports/{jobId}/download',
      status: 404,
      title: 'an export that does not exist',
      request: () => [`/api/exports/${UNKNOWN}/download`, SYSADMIN],
    },
    {
      op: 'GET /api/exports/{jobId}/download',
      status: 409,
      title: 'an export that failed has no file',
      before: async () => {
        ctx.failedExport = await sql(
          `INSERT INTO data_jobs (type, status, tenant_id, params, finished_at) VALUES ('export', 'failed', $1, '{}', now()) RETURNING id`,
          [ctx.northside],
        );
      },
      request: () => [`/api/exports/${ctx.failedExport}/download`, SYSADMIN],
    },

    // An import: dry run, report, errors, apply.
    {
      op: 'POST /api/imports',
      status: 202,
      title: 'an org admin dry-runs their tenant’s bundle',
      before: async () => {
        ctx.bundle = join(scratch, 'northside.json.gz');
        const file = await send('GET /api/exports/{jobId}/download', `/api/exports/${ctx.exportJob}/download`, NORTHSIDE_ADMIN);
        await writeFile(ctx.bundle, file.raw);
        // A change since the export: the merge plans an update, so the report carries a diff.
        await t.dataSource.query(`UPDATE users SET first_name = 'Renamed' WHERE email = $1`, [COACH]);
      },
      request: () => [
        '/api/imports',
        NORTHSIDE_ADMIN,
        (r) => r.field('scope', 'tenant').field('strategy', 'merge').field('dryRun', 'true').attach('file', ctx.bundle),
      ],
      after: (answer) => (ctx.dryRun = job(answer)),
    },
    {
      op: 'POST /api/imports',
      status: 400,
      title: 'an import without a file',
      request: () => ['/api/imports', NORTHSIDE_ADMIN, (r) => r.field('scope', 'tenant').field('strategy', 'merge').field('dryRun', 'true')],
    },
    {
      op: 'POST /api/imports',
      status: 403,
      title: 'an org admin imports into another tenant',
      request: () => [
        '/api/imports',
        NORTHSIDE_ADMIN,
        (r) => r.field('scope', 'tenant').field('targetTenantId', ctx.harbor).field('strategy', 'merge').field('dryRun', 'true').attach('file', ctx.bundle),
      ],
    },
    {
      op: 'POST /api/imports',
      status: 413,
      title: 'an upload over MAX_UPLOAD_MB',
      request: () => [
        '/api/imports',
        SYSADMIN,
        (r) => r.field('scope', 'full').field('strategy', 'merge').field('dryRun', 'true').attach('file', Buffer.alloc(1_100_000, 'x'), 'big.json'),
      ],
    },
    {
      op: 'GET /api/imports/{jobId}/report',
      status: 200,
      title: 'the report of the finished dry run',
      before: async () => void (await wait(ctx.dryRun, NORTHSIDE_ADMIN)),
      request: () => [`/api/imports/${ctx.dryRun}/report`, NORTHSIDE_ADMIN],
      after: (answer) =>
        expect(answer.body).toMatchObject({
          valid: true,
          sampleDiffs: expect.arrayContaining([expect.objectContaining({ table: 'users', field: 'first_name' })]),
        }),
    },
    {
      op: 'POST /api/imports',
      status: 202,
      title: 'a system admin dry-runs a bundle that breaks a rule',
      request: () => [
        '/api/imports',
        SYSADMIN,
        (r) =>
          r
            .field('scope', 'tenant')
            .field('strategy', 'merge')
            .field('dryRun', 'true')
            .attach('file', join(FIXTURES, 'not-ok', 'duplicate-email.json')),
      ],
      after: (answer) => (ctx.invalidDryRun = job(answer)),
    },
    {
      op: 'GET /api/jobs/{id}',
      status: 200,
      title: 'the failed dry run carries its error',
      before: async () => void (await wait(ctx.invalidDryRun)),
      request: () => [`/api/jobs/${ctx.invalidDryRun}`, SYSADMIN],
      after: (answer) => expect((answer.body as JobView).error).not.toBeNull(),
    },
    {
      op: 'GET /api/imports/{jobId}/report',
      status: 200,
      title: 'the report of the failed dry run lists its errors',
      request: () => [`/api/imports/${ctx.invalidDryRun}/report`, SYSADMIN],
      after: (answer) => expect((answer.body as ImportReport).errors.length).toBeGreaterThan(0),
    },
    {
      op: 'GET /api/imports/{jobId}/errors.csv',
      status: 200,
      title: 'its errors as CSV',
      request: () => [`/api/imports/${ctx.invalidDryRun}/errors.csv`, SYSADMIN],
    },
    {
      op: 'POST /api/imports/{jobId}/apply',
      status: 409,
      title: 'applying a dry run that failed validation',
      request: () => [`/api/imports/${ctx.invalidDryRun}/apply`, SYSADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/report',
      status: 404,
      title: 'the report of an export job',
      request: () => [`/api/imports/${ctx.exportJob}/report`, SYSADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/report',
      status: 409,
      title: 'the report of an import still queued',
      before: async () => {
        ctx.queuedImport = await sql(
          `INSERT INTO data_jobs (type, status, tenant_id, params) VALUES ('import', 'queued', $1, '{"scope":"tenant","strategy":"merge","dryRun":true}') RETURNING id`,
          [ctx.northside],
        );
      },
      request: () => [`/api/imports/${ctx.queuedImport}/report`, NORTHSIDE_ADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/errors.csv',
      status: 200,
      title: 'every error of the dry run as CSV',
      request: () => [`/api/imports/${ctx.dryRun}/errors.csv`, NORTHSIDE_ADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/errors.csv',
      status: 403,
      title: 'another tenant’s admin asks for them',
      request: () => [`/api/imports/${ctx.dryRun}/errors.csv`, HARBOR_ADMIN],
    },
    { op: 'GET /api/imports/{jobId}/errors.csv', status: 403, title: 'a coach asks for them', request: () => [`/api/imports/${ctx.dryRun}/errors.csv`, COACH] },
    {
      op: 'GET /api/imports/{jobId}/errors.csv',
      status: 400,
      title: 'the errors of a job id that is not a UUID',
      request: () => ['/api/imports/not-a-uuid/errors.csv', SYSADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/errors.csv',
      status: 404,
      title: 'the errors of a job that does not exist',
      request: () => [`/api/imports/${UNKNOWN}/errors.csv`, SYSADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/errors.csv',
      status: 409,
      title: 'the errors of an import still queued',
      request: () => [`/api/imports/${ctx.queuedImport}/errors.csv`, NORTHSIDE_ADMIN],
    },
    {
      op: 'POST /api/imports/{jobId}/apply',
      status: 202,
      title: 'the org admin applies the dry run',
      request: () => [`/api/imports/${ctx.dryRun}/apply`, NORTHSIDE_ADMIN],
      after: (answer) => (ctx.applied = job(answer)),
    },
    {
      op: 'POST /api/imports/{jobId}/apply',
      status: 409,
      title: 'applying an import that was no dry run',
      before: async () => void (await wait(ctx.applied, NORTHSIDE_ADMIN)),
      request: () => [`/api/imports/${ctx.applied}/apply`, NORTHSIDE_ADMIN],
    },
    {
      op: 'POST /api/jobs/{id}/cancel',
      status: 200,
      title: 'cancelling a queued job',
      request: () => [`/api/jobs/${ctx.queuedImport}/cancel`, NORTHSIDE_ADMIN],
    },
    { op: 'POST /api/jobs/{id}/cancel', status: 409, title: 'cancelling it again', request: () => [`/api/jobs/${ctx.queuedImport}/cancel`, NORTHSIDE_ADMIN] },

    // Backups: create, list, read, download, restore, delete.
    {
      op: 'POST /api/backups',
      status: 202,
      title: 'an org admin backs up their tenant',
      request: () => ['/api/backups', NORTHSIDE_ADMIN, (r) => r.send({ scope: 'tenant', note: 'before the contract test restores it' })],
      after: (answer) => (ctx.backup = job(answer)),
    },
    {
      op: 'POST /api/backups',
      status: 400,
      title: 'a backup of an unknown scope',
      request: () => ['/api/backups', SYSADMIN, (r) => r.send({ scope: 'global' })],
    },
    {
      op: 'POST /api/backups',
      status: 403,
      title: 'an org admin backs up everything',
      request: () => ['/api/backups', NORTHSIDE_ADMIN, (r) => r.send({ scope: 'full' })],
    },
    {
      op: 'POST /api/backups',
      status: 404,
      title: 'a backup of a tenant that does not exist',
      request: () => ['/api/backups', SYSADMIN, (r) => r.send({ scope: 'tenant', tenantId: UNKNOWN })],
    },
    {
      op: 'GET /api/backups',
      status: 200,
      title: 'a system admin lists one tenant’s manual backups, sorted and paged',
      before: async () => {
        const done = await wait(ctx.backup, NORTHSIDE_ADMIN);
        ctx.backup = String(done.result?.backupId);
      },
      request: () => [`/api/backups?tenantId=${ctx.northside}&kind=manual&from=2020-01-01&sort=createdAt&order=desc&page=1&pageSize=10`, SYSADMIN],
      after: listsItems,
    },
    { op: 'GET /api/backups', status: 400, title: 'an unknown kind of backup', request: () => ['/api/backups?kind=weekly', SYSADMIN] },
    {
      op: 'GET /api/backups',
      status: 403,
      title: 'an org admin lists another tenant’s backups',
      request: () => [`/api/backups?tenantId=${ctx.harbor}`, NORTHSIDE_ADMIN],
    },
    { op: 'GET /api/backups/schedule', status: 200, title: 'an org admin reads the schedule', request: () => ['/api/backups/schedule', NORTHSIDE_ADMIN] },
    { op: 'GET /api/backups/{id}', status: 200, title: 'an org admin reads their backup', request: () => [`/api/backups/${ctx.backup}`, NORTHSIDE_ADMIN] },
    { op: 'GET /api/backups/{id}', status: 404, title: 'a backup that does not exist', request: () => [`/api/backups/${UNKNOWN}`, SYSADMIN] },
    {
      op: 'GET /api/backups/{id}/download',
      status: 200,
      title: 'a system admin downloads it',
      request: () => [`/api/backups/${ctx.backup}/download`, SYSADMIN],
    },
    {
      op: 'GET /api/backups/{id}/download',
      status: 403,
      title: 'an org admin downloads it',
      request: () => [`/api/backups/${ctx.backup}/download`, NORTHSIDE_ADMIN],
    },
    {
      op: 'POST /api/backups/{id}/restore',
      status: 202,
      title: 'an org admin dry-runs a restore of it',
      request: () => [`/api/backups/${ctx.backup}/restore`, NORTHSIDE_ADMIN, (r) => r.send({ dryRun: true })],
      after: (answer) => (ctx.restore = job(answer)),
    },
    {
      op: 'POST /api/backups/{id}/restore',
      status: 400,
      title: 'a restore that does not say dryRun',
      request: () => [`/api/backups/${ctx.backup}/restore`, NORTHSIDE_ADMIN, (r) => r.send({})],
    },
    { op: 'DELETE /api/backups/{id}', status: 403, title: 'an org admin deletes it', request: () => [`/api/backups/${ctx.backup}`, NORTHSIDE_ADMIN] },
    {
      op: 'DELETE /api/backups/{id}',
      status: 204,
      title: 'a system admin deletes it',
      // The restore dry run reads the file: let it finish first.
      before: async () => void (await wait(ctx.restore)),
      request: () => [`/api/backups/${ctx.backup}`, SYSADMIN],
    },
    { op: 'DELETE /api/backups/{id}', status: 404, title: 'deleting it twice', request: () => [`/api/backups/${ctx.backup}`, SYSADMIN] },

    // The audit log.
    {
      op: 'GET /api/audit',
      status: 200,
      title: 'a system admin filters the audit log',
      request: () => [
        `/api/audit?action=export.create&actor=northside&tenantId=${ctx.northside}&outcome=success&from=2020-01-01&to=2999-01-01&page=1&pageSize=20`,
        SYSADMIN,
      ],
      after: listsItems,
    },
    { op: 'GET /api/audit', status: 400, title: 'an unknown outcome', request: () => ['/api/audit?outcome=maybe', SYSADMIN] },
    {
      op: 'GET /api/audit',
      status: 403,
      title: 'an org admin reads another tenant’s entries',
      request: () => [`/api/audit?tenantId=${ctx.harbor}`, NORTHSIDE_ADMIN],
    },
    { op: 'GET /api/audit/verify', status: 200, title: 'an org admin checks the chain', request: () => ['/api/audit/verify', NORTHSIDE_ADMIN] },
  ];

  it('is the document that `npm run openapi:lint` writes and lints (Nest preview mode, no database)', async () => {
    const preview = await createApp(t.config, 'postgres://preview.invalid/none', { logger: false, preview: true });
    try {
      expect(JSON.parse(JSON.stringify(buildOpenApiDocument(preview)))).toEqual(document);
    } finally {
      await preview.close();
    }
  });

  it('has a case for every operation, with a success among them, and no case for an operation it lacks', () => {
    const operations = contract.operations();
    expect(operations.length).toBeGreaterThanOrEqual(23);
    const succeeding = new Set(cases.filter((c) => c.status < 300).map((c) => c.op));
    expect(operations.filter((op) => !succeeding.has(op))).toEqual([]);
    expect([...new Set(cases.map((c) => c.op))].filter((op) => !operations.includes(op))).toEqual([]);
  });

  it('gives every answer a body schema (none for 204), every 4xx the ApiErrorBody, and every operation a summary and its security', () => {
    const gaps: string[] = [];
    for (const op of contract.operations()) {
      const operation = contract.operation(op);
      if (!operation.summary) gaps.push(`${op}: no summary`);
      if (!operation.security) gaps.push(`${op}: no security`);
      for (const [status, response] of Object.entries(operation.responses) as [string, ResponseObject][]) {
        const media = Object.entries(response.content ?? {});
        if (status === '204') {
          if (media.length) gaps.push(`${op} 204: documents a body`);
          continue;
        }
        if (media.length === 0) gaps.push(`${op} ${status}: no body`);
        for (const [type, { schema }] of media) {
          if (!schema) gaps.push(`${op} ${status} ${type}: no schema`);
          else if (status.startsWith('4') && !JSON.stringify(schema).includes('"#/components/schemas/ApiErrorBody"'))
            gaps.push(`${op} ${status} ${type}: not an ApiErrorBody`);
        }
      }
    }
    expect(gaps).toEqual([]);
  });

  it('answers 401 with its documented body on every operation that needs a token, called without one', async () => {
    const problems: string[] = [];
    for (const op of contract.operations()) {
      if ((contract.operation(op).security ?? []).length === 0) continue;
      const url = op.split(' ')[1].replace(/\{[^}]+\}/g, UNKNOWN);
      const answer = await send(op, url, null);
      if (answer.status !== 401) problems.push(`${op} → ${answer.status}`);
      else problems.push(...contract.problemsOf(op, url, answer));
    }
    expect(problems).toEqual([]);
  });

  it.each(cases)('$op answers $status as documented when $title', async (c) => {
    await c.before?.();
    const [url, who, build] = await c.request();
    const answer = await send(c.op, url, who, build);
    expect({ status: answer.status, body: answer.body }).toMatchObject({ status: c.status });
    expect(contract.problemsOf(c.op, url, answer)).toEqual([]);
    c.after?.(answer);
  });

  it('checked a success of every operation against the document', () => {
    const missing = contract.operations().filter((op) => ![...contract.checked].some((key) => key.startsWith(`${op} 2`)));
    expect(missing).toEqual([]);
  });
});
