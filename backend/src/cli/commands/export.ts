import type { ExportRequest, ExportResult, JobView, UserView } from '../../shared/api-types.js';
import { canCompress, credentialsConflict, dateRangeOrdered, scopeNamesTenant } from '../../shared/export-options.js';
import type { ApiClient } from '../api-client.js';
import { isoInstant } from '../args.js';
import type { Command, CommandContext } from '../command.js';
import { CliFailure, EXIT_OK, UsageError } from '../errors.js';
import { waitAndDownloadExport } from '../export-download.js';
import { formatBytes, table } from '../format.js';
import { ProgressBar } from '../progress.js';
import { jobFailure, jobHeadline, resolveTenant, waitForJob } from './shared.js';

export const SCOPES = ['tenant', 'global', 'full'] as const;
const FORMATS = ['json', 'sql', 'csv'] as const;

/**
 * The ExportRequest the flags describe, before tenant slugs are resolved. Pure, so the mapping
 * of every flag is unit-tested.
 */
export function exportRequestFromFlags(ctx: Pick<CommandContext, 'string' | 'flag' | 'command'>): ExportRequest {
  const tenant = ctx.string('tenant');
  const scope = (ctx.string('scope') ?? 'tenant') as ExportRequest['scope'];
  if (!scopeNamesTenant(scope) && tenant) throw new UsageError(`--tenant only goes with --scope tenant (the ${scope} scope has no tenant)`, ctx.command);
  const request: ExportRequest = { scope, format: (ctx.string('format') ?? 'json') as ExportRequest['format'] };
  if (tenant) request.tenantId = tenant;
  if (ctx.flag('compress')) {
    if (!canCompress(request.format)) throw new UsageError('--compress applies to json and sql; csv bundles are zip files, always compressed', ctx.command);
    request.compress = true;
  }
  if (ctx.flag('no-users') || ctx.flag('no-sessions')) {
    request.include = { users: !ctx.flag('no-users'), sessions: !ctx.flag('no-sessions') };
  }
  const from = ctx.string('from');
  const to = ctx.string('to');
  if (from || to) {
    request.dateRange = {};
    if (from) request.dateRange.from = isoInstant(from, 'from', ctx.command);
    if (to) request.dateRange.to = isoInstant(to, 'to', ctx.command);
    if (request.dateRange.from && request.dateRange.to && !dateRangeOrdered(request.dateRange.from, request.dateRange.to))
      throw new UsageError('--from must be before --to', ctx.command);
  }
  const since = ctx.string('modified-since');
  if (since) request.modifiedSince = isoInstant(since, 'modified-since', ctx.command);
  if (ctx.flag('anonymize')) request.anonymize = true;
  if (ctx.flag('include-credentials')) {
    request.includeCredentials = true;
    if (credentialsConflict(request)) throw new UsageError('--include-credentials and --anonymize do not go together', ctx.command);
  }
  return request;
}

/** An org admin exporting "their" tenant may leave --tenant out; a system admin must say which. */
async function completeTenant(client: ApiClient, request: ExportRequest, command: string): Promise<string | null> {
  if (request.scope !== 'tenant') return null;
  if (request.tenantId) {
    const tenant = await resolveTenant(client, request.tenantId);
    request.tenantId = tenant.id;
    return tenant.slug;
  }
  const me = await client.get<UserView>('/api/auth/me');
  if (!me.tenantId)
    throw new UsageError('A system admin names the tenant: --tenant <slug> (`rythm-data tenants` lists them), or --scope global / --scope full', command);
  request.tenantId = me.tenantId;
  return me.tenantSlug;
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'Export data to a bundle file (JSON, SQL or CSV)',
  usage: '[--scope <scope>] [--tenant <slug|id>] [options] [--out <file|dir>]',
  description: [
    'Starts an export job, waits for it (progress on a terminal) and downloads the bundle.',
    'Without --out the file lands in the current directory under the name the server gives it.',
  ].join('\n'),
  positionals: { min: 0, max: 0 },
  options: {
    scope: { type: 'string', value: '<scope>', choices: SCOPES, description: 'tenant (default), global (exercise library, equipment, templates) or full' },
    tenant: { type: 'string', value: '<slug|id>', description: 'The tenant to export (org admins: their own by default)' },
    format: { type: 'string', value: '<format>', choices: FORMATS, description: 'json (default), sql or csv' },
    compress: { type: 'boolean', description: 'gzip the json or sql file' },
    'no-users': { type: 'boolean', description: 'Leave users out' },
    'no-sessions': { type: 'boolean', description: 'Leave workout history (sessions and sets) out' },
    from: { type: 'string', value: '<date>', description: 'Sessions started on or after this date or instant' },
    to: { type: 'string', value: '<date>', description: 'Sessions started before this date or instant' },
    'modified-since': { type: 'string', value: '<instant>', description: 'Incremental: only rows changed after this instant' },
    anonymize: { type: 'boolean', description: 'Replace names, emails and notes with stand-ins' },
    'include-credentials': { type: 'boolean', description: 'Keep password hashes (system admins only)' },
    out: { type: 'string', value: '<file|dir>', description: 'Where to save the bundle (default: the current directory)' },
  },
  examples: [
    'rythm-data export --tenant northside --anonymize --out ./bundles/',
    'rythm-data export --scope global --format json --out library.json',
    'rythm-data export --tenant harbor --from 2026-01-01 --to 2026-02-01 --format csv',
  ],
  async run(ctx) {
    const request = exportRequestFromFlags(ctx);
    const client = await ctx.client();
    const slug = await completeTenant(client, request, ctx.command);
    const started = await client.post<JobView>('/api/exports', request);
    const fallbackName = `rythm-${request.scope}${slug ? `-${slug}` : ''}-${started.id}.${request.format === 'csv' ? 'zip' : request.format}${request.compress ? '.gz' : ''}`;
    const bar = new ProgressBar(ctx.out);
    const { job, file } = await waitAndDownloadExport(client, started.id, {
      out: ctx.string('out'),
      cwd: ctx.io.cwd,
      fallbackName,
      waitForJob: () => waitForJob(ctx, client, started),
      onBytes: (done, total) => bar.bytes('download', done, total),
    }).finally(() => bar.clear());
    if (!file) throw jobFailure(job);
    const result = job.result as Partial<ExportResult> | null;
    if (typeof result?.sizeBytes === 'number' && result.sizeBytes !== file.sizeBytes) {
      throw new CliFailure(`The downloaded file has ${file.sizeBytes} bytes, the export ${result.sizeBytes}: download it again`, {
        code: 'DOWNLOAD_INCOMPLETE',
        job,
      });
    }
    ctx.out.result({ job, file }, () => {
      const counts = Object.entries(result?.rowCounts ?? {}).sort(([a], [b]) => a.localeCompare(b));
      const lines = [jobHeadline(job), `Saved ${file.path} (${formatBytes(file.sizeBytes)}, sha256 ${file.sha256}).`];
      if (counts.length > 0) lines.push('', table(['table', 'rows'], counts));
      return lines.join('\n');
    });
    return EXIT_OK;
  },
};
