import { join } from 'node:path';
import type { Test } from 'supertest';
import { DEMO_PASSWORD } from '../../src/database/seed/demo-seed.js';
import type { JobView } from '../../src/shared/api-types.js';
import type { Answer } from './openapi-contract.js';
import { NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './test-app.js';

export const COACH = 'coach1@northside.example';
export const UNKNOWN = '00000000-0000-4000-8000-000000000000';
export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'import');

/** What the cases pass on to later ones: they run in order, as a user would. */
export interface Context {
  northside: string;
  harbor: string;
  exportJob: string;
  bundle: string;
  dryRun: string;
  applied: string;
  undoDryRun: string;
  fullBackupImport: string;
  queuedUndo: string;
  failedUndo: string;
  invalidDryRun: string;
  queuedImport: string;
  failedExport: string;
  backup: string;
  restore: string;
  doomedTenant: string;
  apiToken: string;
}

export type Request = [url: string, who: string | null, build?: (request: Test) => Test];

/** One call of the contract test: a request to an operation and the status it must answer. */
export interface Case {
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

/** What the cases use of the spec: the app (once booted), the shared context and its helpers. */
export interface CaseKit {
  app: () => TestApp;
  ctx: Context;
  scratch: () => string;
  send: (op: string, url: string, who: string | null, build?: (request: Test) => Test) => Promise<Answer>;
  wait: (job: string, who?: string) => Promise<JobView>;
}

export const jobOf = (answer: Answer) => (answer.body as JobView).id;

/** A listing must hold items, or their schema goes unchecked. */
export const listsItems = (answer: Answer) => {
  const body = answer.body as { items?: unknown[] } | unknown[];
  expect((Array.isArray(body) ? body : (body.items ?? [])).length).toBeGreaterThan(0);
};

/** Health, sign-in and the tenants. */
export const signInCases = (): Case[] => [
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
];

/** Backups: create, list, read, download, restore, delete. */
export const backupCases = ({ ctx, wait }: CaseKit): Case[] => [
  {
    op: 'POST /api/backups',
    status: 202,
    title: 'an org admin backs up their tenant',
    request: () => ['/api/backups', NORTHSIDE_ADMIN, (r) => r.send({ scope: 'tenant', note: 'before the contract test restores it' })],
    after: (answer) => (ctx.backup = jobOf(answer)),
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
    status: 206,
    title: 'a system admin reads the first kilobyte (Range)',
    request: () => [`/api/backups/${ctx.backup}/download`, SYSADMIN, (r) => r.set('range', 'bytes=0-1023')],
  },
  {
    op: 'GET /api/backups/{id}/download',
    status: 416,
    title: 'a Range past the end of the backup',
    request: () => [`/api/backups/${ctx.backup}/download`, SYSADMIN, (r) => r.set('range', 'bytes=999999999-')],
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
    after: (answer) => (ctx.restore = jobOf(answer)),
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
];

/** The audit log: after the rest, so that it has their entries. */
export const auditCases = ({ ctx }: CaseKit): Case[] => [
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

/** QA: one tenant, its users, one password for all, deletion; API tokens. */
export const qaCases = ({ app, ctx }: CaseKit): Case[] => [
  { op: 'GET /api/tenants/{id}', status: 200, title: 'a system admin reads one tenant', request: () => [`/api/tenants/${ctx.northside}`, SYSADMIN] },
  { op: 'GET /api/tenants/{id}', status: 403, title: 'an org admin reads another tenant', request: () => [`/api/tenants/${ctx.harbor}`, NORTHSIDE_ADMIN] },
  {
    op: 'GET /api/tenants/{id}/users',
    status: 200,
    title: "a system admin lists a tenant's users",
    request: () => [`/api/tenants/${ctx.northside}/users`, SYSADMIN],
    after: listsItems,
  },
  {
    op: 'POST /api/tenants/{id}/password',
    status: 200,
    title: "a system admin gives Harbor's users one password (the demo one, so sign-ins stay as they were)",
    request: () => [`/api/tenants/${ctx.harbor}/password`, SYSADMIN, (r) => r.send({ password: DEMO_PASSWORD })],
  },
  {
    op: 'POST /api/tenants/{id}/password',
    status: 403,
    title: 'an org admin sets passwords',
    request: () => [`/api/tenants/${ctx.northside}/password`, NORTHSIDE_ADMIN, (r) => r.send({ password: DEMO_PASSWORD })],
  },
  {
    op: 'DELETE /api/tenants/{id}',
    status: 400,
    title: 'a delete with the wrong confirmation',
    before: async () => {
      const [row] = await app().dataSource.query<{ id: string }[]>(`INSERT INTO tenants (name, slug) VALUES ('Doomed', 'contract-doomed') RETURNING id`);
      ctx.doomedTenant = row.id;
    },
    request: () => [`/api/tenants/${ctx.doomedTenant}`, SYSADMIN, (r) => r.send({ confirm: 'northside' })],
  },
  {
    op: 'DELETE /api/tenants/{id}',
    status: 200,
    title: 'a system admin deletes a tenant, its slug typed back',
    request: () => [`/api/tenants/${ctx.doomedTenant}`, SYSADMIN, (r) => r.send({ confirm: 'contract-doomed' })],
  },
  {
    op: 'POST /api/api-tokens',
    status: 201,
    title: 'a system admin makes a CI token',
    request: () => ['/api/api-tokens', SYSADMIN, (r) => r.send({ name: 'contract-ci', role: 'system_admin', expiresInDays: 7 })],
    after: (answer) => (ctx.apiToken = (answer.body as { id: string }).id),
  },
  {
    op: 'POST /api/api-tokens',
    status: 403,
    title: 'an org admin makes a token',
    request: () => ['/api/api-tokens', NORTHSIDE_ADMIN, (r) => r.send({ name: 'x', role: 'system_admin' })],
  },
  { op: 'GET /api/api-tokens', status: 200, title: 'a system admin lists the tokens', request: () => ['/api/api-tokens', SYSADMIN], after: listsItems },
  { op: 'DELETE /api/api-tokens/{id}', status: 200, title: 'a system admin revokes the token', request: () => [`/api/api-tokens/${ctx.apiToken}`, SYSADMIN] },
  { op: 'DELETE /api/api-tokens/{id}', status: 404, title: 'a token that does not exist', request: () => [`/api/api-tokens/${UNKNOWN}`, SYSADMIN] },
];
