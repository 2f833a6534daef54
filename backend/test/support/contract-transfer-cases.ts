import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImportReport, JobView } from '../../src/shared/api-types.js';
import { type Case, type CaseKit, COACH, FIXTURES, jobOf, listsItems, UNKNOWN } from './contract-cases.js';
import { HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN } from './test-app.js';

/** Exports, their jobs and files, then imports: dry run, report, errors, apply, cancel. */
export const transferCases = ({ app, ctx, scratch, send, wait }: CaseKit): Case[] => {
  const sql = async (query: string, args: unknown[]) => (await app().dataSource.query<{ id: string }[]>(query, args))[0].id;
  return [
    // An export, its job and its file.
    {
      op: 'POST /api/exports',
      status: 202,
      title: 'an org admin exports their tenant',
      request: () => ['/api/exports', NORTHSIDE_ADMIN, (r) => r.send({ scope: 'tenant', format: 'json', compress: true })],
      after: (answer) => (ctx.exportJob = jobOf(answer)),
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
      request: async () => [`/api/jobs/${ctx.exportJob}/events?access_token=${await app().token(NORTHSIDE_ADMIN)}`, null],
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
      status: 200,
      title: 'the export’s own user downloads it following the job (follow=true; here it has finished)',
      request: () => [`/api/exports/${ctx.exportJob}/download?follow=true`, NORTHSIDE_ADMIN],
    },
    {
      op: 'GET /api/exports/{jobId}/download',
      status: 400,
      title: 'follow is neither true nor false',
      request: () => [`/api/exports/${ctx.exportJob}/download?follow=1`, NORTHSIDE_ADMIN],
    },
    {
      op: 'GET /api/exports/{jobId}/download',
      status: 206,
      title: 'the export’s own user resumes the download from an offset (Range)',
      request: () => [`/api/exports/${ctx.exportJob}/download`, NORTHSIDE_ADMIN, (r) => r.set('range', 'bytes=10-')],
    },
    {
      op: 'GET /api/exports/{jobId}/download',
      status: 416,
      title: 'a Range past the end of the file',
      request: () => [`/api/exports/${ctx.exportJob}/download`, NORTHSIDE_ADMIN, (r) => r.set('range', 'bytes=999999999-')],
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
        ctx.bundle = join(scratch(), 'northside.json.gz');
        const file = await send('GET /api/exports/{jobId}/download', `/api/exports/${ctx.exportJob}/download`, NORTHSIDE_ADMIN);
        await writeFile(ctx.bundle, file.raw);
        // A change since the export: the merge plans an update, so the report carries a diff.
        await app().dataSource.query(`UPDATE users SET first_name = 'Renamed' WHERE email = $1`, [COACH]);
      },
      request: () => [
        '/api/imports',
        NORTHSIDE_ADMIN,
        (r) => r.field('scope', 'tenant').field('strategy', 'merge').field('dryRun', 'true').attach('file', ctx.bundle),
      ],
      after: (answer) => (ctx.dryRun = jobOf(answer)),
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
      after: (answer) => (ctx.invalidDryRun = jobOf(answer)),
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
      after: (answer) => (ctx.applied = jobOf(answer)),
    },
    {
      op: 'POST /api/imports/{jobId}/apply',
      status: 409,
      title: 'applying an import that was no dry run',
      before: async () => void (await wait(ctx.applied, NORTHSIDE_ADMIN)),
      request: () => [`/api/imports/${ctx.applied}/apply`, NORTHSIDE_ADMIN],
    },
    // Undo of the applied import: dry run first, its report, and every refusal.
    {
      op: 'POST /api/imports/{jobId}/undo',
      status: 202,
      title: 'the org admin dry-runs the undo of their import',
      request: () => [`/api/imports/${ctx.applied}/undo`, NORTHSIDE_ADMIN, (r) => r.send({ dryRun: true })],
      after: (answer) => (ctx.undoDryRun = jobOf(answer)),
    },
    {
      op: 'GET /api/imports/{jobId}/undo-report',
      status: 200,
      title: 'the plan of the undo',
      before: async () => void (await wait(ctx.undoDryRun, NORTHSIDE_ADMIN)),
      request: () => [`/api/imports/${ctx.undoDryRun}/undo-report`, NORTHSIDE_ADMIN],
      after: (answer) => expect(answer.body).toMatchObject({ dryRun: true, applied: false, undoesJobId: ctx.applied }),
    },
    {
      op: 'POST /api/imports/{jobId}/undo',
      status: 400,
      title: 'an undo with a body that is not { dryRun, force }',
      request: () => [`/api/imports/${ctx.applied}/undo`, SYSADMIN, (r) => r.send({ force: 'yes' })],
    },
    {
      op: 'POST /api/imports/{jobId}/undo',
      status: 403,
      title: 'another tenant’s admin undoes it',
      request: () => [`/api/imports/${ctx.applied}/undo`, HARBOR_ADMIN, (r) => r.send({})],
    },
    {
      op: 'POST /api/imports/{jobId}/undo',
      status: 404,
      title: 'undoing an export job',
      request: () => [`/api/imports/${ctx.exportJob}/undo`, SYSADMIN, (r) => r.send({})],
    },
    {
      op: 'POST /api/imports/{jobId}/undo',
      status: 409,
      title: 'undoing a dry run',
      request: () => [`/api/imports/${ctx.dryRun}/undo`, NORTHSIDE_ADMIN, (r) => r.send({})],
    },
    {
      op: 'POST /api/imports/{jobId}/undo',
      status: 410,
      title: 'undoing an import whose restore point was a full backup',
      before: async () => {
        ctx.fullBackupImport = await sql(
          `INSERT INTO data_jobs (type, status, tenant_id, params, result, finished_at) VALUES ('import', 'succeeded', $1, '{"scope":"tenant","strategy":"merge","dryRun":false}', $2, now()) RETURNING id`,
          [ctx.northside, JSON.stringify({ applied: true, restorePoint: 'full', backupId: UNKNOWN })],
        );
      },
      request: () => [`/api/imports/${ctx.fullBackupImport}/undo`, NORTHSIDE_ADMIN, (r) => r.send({})],
    },
    {
      op: 'GET /api/imports/{jobId}/undo-report',
      status: 400,
      title: 'an undo report of a job id that is not a UUID',
      request: () => ['/api/imports/nope/undo-report', SYSADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/undo-report',
      status: 403,
      title: 'another tenant’s admin reads it',
      request: () => [`/api/imports/${ctx.undoDryRun}/undo-report`, HARBOR_ADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/undo-report',
      status: 404,
      title: 'the undo report of an import job',
      request: () => [`/api/imports/${ctx.applied}/undo-report`, SYSADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/undo-report',
      status: 409,
      title: 'the undo report of an undo still queued',
      before: async () => {
        ctx.queuedUndo = await sql(`INSERT INTO data_jobs (type, status, tenant_id, params) VALUES ('undo', 'queued', $1, '{}') RETURNING id`, [ctx.northside]);
      },
      request: () => [`/api/imports/${ctx.queuedUndo}/undo-report`, NORTHSIDE_ADMIN],
    },
    {
      op: 'GET /api/imports/{jobId}/undo-report',
      status: 410,
      title: 'the undo report of an undo that failed before it could report',
      before: async () => {
        ctx.failedUndo = await sql(
          `INSERT INTO data_jobs (type, status, tenant_id, params, error, finished_at) VALUES ('undo', 'failed', $1, '{}', '{"code":"GONE","message":"the change set is gone"}', now()) RETURNING id`,
          [ctx.northside],
        );
      },
      request: () => [`/api/imports/${ctx.failedUndo}/undo-report`, NORTHSIDE_ADMIN],
    },
    {
      op: 'POST /api/jobs/{id}/cancel',
      status: 200,
      title: 'cancelling a queued job',
      request: () => [`/api/jobs/${ctx.queuedImport}/cancel`, NORTHSIDE_ADMIN],
    },
    { op: 'POST /api/jobs/{id}/cancel', status: 409, title: 'cancelling it again', request: () => [`/api/jobs/${ctx.queuedImport}/cancel`, NORTHSIDE_ADMIN] },
  ];
};
