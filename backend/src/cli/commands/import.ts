import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { BundleManifest, ExportScope, ImportRequest, ImportStrategy, JobView } from '../../shared/api-types.js';
import { readManifest } from '../bundle-head.js';
import type { Command, CommandContext, CommandGroup } from '../command.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.js';
import { formatBytes, formatTime } from '../format.js';
import { DURATION_RULE, parseDurationSeconds, SCRATCH_TTL_MAX_SECONDS, SCRATCH_TTL_MIN_SECONDS } from '../../shared/limits.js';
import { isTenantName, SLUG_PATTERN, SLUG_RULE, TENANT_NAME_RULE } from '../../shared/patterns.js';
import { SCOPES } from './export.js';
import { undoCommand } from './import-undo.js';
import { describeReport, fetchReport, jobHeadline, resolveTenant, waitForJob } from './shared.js';

const STRATEGIES = ['replace', 'merge', 'skip'] as const;

/**
 * The ImportRequest the flags describe (tenant slug not yet resolved). `manifest` supplies the
 * scope when --scope is left out. Pure, for the unit specs.
 */
export function importRequestFromFlags(ctx: Pick<CommandContext, 'string' | 'flag' | 'command'>, manifest: BundleManifest | null): ImportRequest {
  const asNewTenant = ctx.flag('as-new-tenant');
  const tenant = ctx.string('tenant');
  if (asNewTenant && tenant) throw new UsageError('--as-new-tenant creates a tenant: leave --tenant out', ctx.command);
  if (!asNewTenant && (ctx.string('name') || ctx.string('slug')))
    throw new UsageError('--name and --slug name the new tenant: they need --as-new-tenant', ctx.command);
  if (!asNewTenant && (ctx.flag('scratch') || ctx.flag('tag-emails') || ctx.string('ttl')))
    throw new UsageError('--scratch, --ttl and --tag-emails describe a new tenant: they need --as-new-tenant', ctx.command);
  const scope = (ctx.string('scope') ?? (asNewTenant || tenant ? 'tenant' : manifest?.scope)) as ExportScope | undefined;
  if (!scope) throw new UsageError("--scope is required: the bundle's manifest could not be read to default it (tenant, global or full)", ctx.command);
  if (scope !== 'tenant' && (asNewTenant || tenant)) throw new UsageError(`--tenant and --as-new-tenant go with --scope tenant, not ${scope}`, ctx.command);
  // Into a brand-new tenant every row is an insert, so the strategy does not matter there.
  const strategy = (ctx.string('strategy') ?? (asNewTenant ? 'merge' : undefined)) as ImportStrategy | undefined;
  if (!strategy)
    throw new UsageError(
      '--strategy is required: replace (the scope ends exactly as the bundle), merge (insert and update) or skip (insert new rows only)',
      ctx.command,
    );
  const request: ImportRequest = { scope, strategy, dryRun: ctx.flag('dry-run') };
  if (tenant) request.targetTenantId = tenant;
  if (asNewTenant) {
    request.asNewTenant = true;
    const name = ctx.string('name');
    const slug = ctx.string('slug');
    // The API's own rules (shared/patterns.ts), checked before a large upload starts.
    if (name !== undefined && !isTenantName(name)) throw new UsageError(`--name: expected ${TENANT_NAME_RULE}`, ctx.command);
    if (slug !== undefined && !SLUG_PATTERN.test(slug)) throw new UsageError(`--slug: expected ${SLUG_RULE}`, ctx.command);
    if (name) request.newTenantName = name;
    if (slug) request.newTenantSlug = slug;
    if (ctx.flag('scratch')) request.scratch = true;
    if (ctx.flag('tag-emails')) request.tagEmails = true;
    const ttl = ctx.string('ttl');
    if (ttl !== undefined) {
      const seconds = parseDurationSeconds(ttl);
      if (seconds === null || seconds < SCRATCH_TTL_MIN_SECONDS || seconds > SCRATCH_TTL_MAX_SECONDS)
        throw new UsageError(`--ttl: expected ${DURATION_RULE}, from 1 minute to 30 days; got "${ttl}"`, ctx.command);
      request.ttlSeconds = seconds;
    }
  }
  return request;
}

/** Multipart body: every field a string (as the console sends it), the file streamed from disk. */
export async function importForm(path: string, request: ImportRequest): Promise<FormData> {
  const form = new FormData();
  form.append('scope', request.scope);
  form.append('strategy', request.strategy);
  form.append('dryRun', String(request.dryRun));
  if (request.targetTenantId) form.append('targetTenantId', request.targetTenantId);
  if (request.asNewTenant !== undefined) form.append('asNewTenant', String(request.asNewTenant));
  if (request.newTenantName) form.append('newTenantName', request.newTenantName);
  if (request.newTenantSlug) form.append('newTenantSlug', request.newTenantSlug);
  if (request.scratch) form.append('scratch', 'true');
  if (request.tagEmails) form.append('tagEmails', 'true');
  if (request.ttlSeconds !== undefined) form.append('ttlSeconds', String(request.ttlSeconds));
  // Fields first, file last: the server knows the target before the bytes arrive.
  form.append('file', await openAsBlob(path), basename(path));
  return form;
}

export const importCommand: Command = {
  name: 'import',
  summary: 'Import a bundle: dry run, replace, merge, skip, or as a new tenant',
  usage:
    '<file> [--scope <scope>] [--tenant <slug|id> | --as-new-tenant [--name <name>] [--slug <slug>] [--scratch] [--ttl <duration>] [--tag-emails]] --strategy <strategy> [--dry-run]',
  description: [
    'Uploads the bundle, waits for the import job, then prints the plan (per table: insert, update,',
    'unchanged, delete, skip) and any validation errors (table, row, field, message).',
    "The scope defaults to the one in the bundle's manifest. Exit status 1 when validation fails:",
    'then nothing was written. A real import takes a backup of the affected scope first.',
  ].join('\n'),
  positionals: { min: 1, max: 1 },
  options: {
    scope: { type: 'string', value: '<scope>', choices: SCOPES, description: "tenant, global or full (default: the bundle's)" },
    tenant: { type: 'string', value: '<slug|id>', description: "Target tenant (default: an org admin's own; for a system admin the bundle's own tenant)" },
    strategy: { type: 'string', value: '<strategy>', choices: STRATEGIES, description: 'replace, merge or skip (default merge with --as-new-tenant)' },
    'dry-run': { type: 'boolean', description: 'Validate and plan only; write nothing' },
    'as-new-tenant': { type: 'boolean', description: 'Load as a fresh tenant with new ids (QA clones; system admins)' },
    name: { type: 'string', value: '<name>', description: 'Name of the new tenant' },
    slug: { type: 'string', value: '<slug>', description: 'Slug of the new tenant' },
    scratch: { type: 'boolean', description: 'The new tenant is scratch: deleted without a backup, its imports take none' },
    ttl: { type: 'string', value: '<duration>', description: `Scratch, deleted by the clean-up job after this long (${DURATION_RULE})` },
    'tag-emails': { type: 'boolean', description: 'Give each user an address of its own: name+<slug>@domain' },
  },
  examples: [
    'rythm-data import fixtures/qa-small.json --as-new-tenant --slug qa-run-42 --name "QA run 42"',
    'rythm-data import staging.json.gz --tenant northside --strategy merge --dry-run',
    'rythm-data import library.json --scope global --strategy skip --json | jq .report.plan',
  ],
  async run(ctx) {
    const path = resolve(ctx.io.cwd, ctx.args.positionals[0]);
    const info = await stat(path).catch(() => null);
    if (!info?.isFile()) throw new UsageError(`No such file: ${path}`, ctx.command);
    const manifest = await readManifest(path);
    const request = importRequestFromFlags(ctx, manifest);
    const client = await ctx.client();
    // Without --tenant the API decides: an org admin's own tenant, else the bundle's own tenant.
    if (request.targetTenantId) request.targetTenantId = (await resolveTenant(client, request.targetTenantId)).id;
    if (!ctx.out.jsonMode) {
      const from = manifest
        ? `: ${manifest.scope} bundle${manifest.source.tenantSlug ? ` of ${manifest.source.tenantSlug}` : ''}, made ${formatTime(manifest.createdAt)}`
        : '';
      ctx.out.note(`Uploading ${basename(path)} (${formatBytes(info.size)})${from}…`);
    }
    const started = await client.postForm<JobView>('/api/imports', await importForm(path, request));
    const job = await waitForJob(ctx, client, started);
    const report = await fetchReport(client, job);
    const ok = job.status === 'succeeded' && (report?.valid ?? true);
    ctx.out.result({ job, report }, () => {
      const lines = [`${jobHeadline(job)}${request.dryRun ? ' (dry run)' : ''}`];
      if (report?.targetTenantId) lines.push(`Target tenant: ${report.targetTenantId}${request.asNewTenant ? ' (new)' : ''}`);
      if (report) lines.push(describeReport(report));
      if (job.error && (!report || report.errors.length === 0)) lines.push(`Error: ${job.error.message} (${job.error.code})`);
      return lines.join('\n');
    });
    return ok ? EXIT_OK : EXIT_FAILED;
  },
};

/** `import <file>`, and `import undo <job>` beside it (a file named "undo" is `./undo`). */
export const importGroup: CommandGroup = {
  name: 'import',
  summary: importCommand.summary,
  commands: [undoCommand],
  fallback: importCommand,
};
