import type { BackupSchedule, BackupView, CreateBackupRequest, JobView, Page } from '../../shared/api-types.js';
import { canonicalUuid } from '../../shared/patterns.js';
import { positiveInt } from '../args.js';
import type { Command, CommandGroup } from '../command.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.js';
import { download } from '../download.js';
import { formatBytes, formatTime, table } from '../format.js';
import { ProgressBar } from '../progress.js';
import { describeReport, fetchReport, jobFailure, jobHeadline, resolveTenant, waitForJob } from './shared.js';

const KINDS = ['manual', 'pre-import', 'pre-restore', 'pre-delete', 'scheduled'] as const;

function backupId(value: string | undefined, command: string): string {
  const id = value ? canonicalUuid(value) : null;
  if (!id) throw new UsageError(`Give a backup id (a UUID, as \`rythm-data backups list\` shows), got "${value ?? ''}"`, command);
  return id;
}

const list: Command = {
  name: 'list',
  summary: 'List backups, newest first',
  usage: '[--tenant <slug|id>] [--kind <kind>] [--page <n>] [--page-size <n>]',
  positionals: { min: 0, max: 0 },
  options: {
    tenant: { type: 'string', value: '<slug|id>', description: "Only this tenant's backups" },
    kind: { type: 'string', value: '<kind>', choices: KINDS, description: `Only this kind: ${KINDS.join(', ')}` },
    page: { type: 'string', value: '<n>', description: 'Page number (default 1)' },
    'page-size': { type: 'string', value: '<n>', description: 'Backups per page' },
  },
  async run(ctx) {
    const client = await ctx.client();
    const tenant = ctx.string('tenant');
    const page = await client.get<Page<BackupView>>('/api/backups', {
      tenantId: tenant ? (await resolveTenant(client, tenant)).id : undefined,
      kind: ctx.string('kind'),
      page: positiveInt(ctx.string('page'), 'page', ctx.command),
      pageSize: positiveInt(ctx.string('page-size'), 'page-size', ctx.command),
    });
    const schedule = await client.get<BackupSchedule>('/api/backups/schedule').catch(() => null);
    ctx.out.result({ ...page, schedule }, () => {
      const rows = page.items.map((b) => [
        b.id,
        formatTime(b.createdAt),
        b.kind,
        b.scope,
        b.tenantSlug ?? (b.scope === 'full' ? 'all' : b.tenantId),
        formatBytes(b.sizeBytes),
        b.note,
      ]);
      const body = rows.length === 0 ? 'No backups.' : table(['id', 'created', 'kind', 'scope', 'tenant', 'size', 'note'], rows);
      const pages = Math.max(1, Math.ceil(page.total / Math.max(1, page.pageSize)));
      const footer = pages > 1 ? `\nPage ${page.page} of ${pages} (${page.total} backups)` : '';
      const retention = schedule
        ? [schedule.retentionDays ? `${schedule.retentionDays} days` : null, schedule.retentionCount ? `${schedule.retentionCount} backups` : null]
            .filter(Boolean)
            .join(', ')
        : '';
      const plan = schedule ? `\nScheduled backups: cron "${schedule.cron}" (UTC)${retention ? `, kept ${retention}` : ''}.` : '';
      return body + footer + plan;
    });
    return EXIT_OK;
  },
};

const create: Command = {
  name: 'create',
  summary: 'Take a manual backup (full, or one tenant) and wait for it',
  usage: '[--scope full|tenant] [--tenant <slug|id>] [--note <text>]',
  positionals: { min: 0, max: 0 },
  options: {
    scope: { type: 'string', value: '<scope>', choices: ['full', 'tenant'], description: 'full (default) or tenant (default when --tenant is given)' },
    tenant: { type: 'string', value: '<slug|id>', description: 'The tenant to back up' },
    note: { type: 'string', value: '<text>', description: 'Why: shown in the list ("before the March migration")' },
  },
  async run(ctx) {
    const tenant = ctx.string('tenant');
    const scope = (ctx.string('scope') ?? (tenant ? 'tenant' : 'full')) as CreateBackupRequest['scope'];
    if (scope === 'tenant' && !tenant) throw new UsageError('--scope tenant needs --tenant <slug|id>', ctx.command);
    if (scope === 'full' && tenant) throw new UsageError('--tenant goes with --scope tenant, not full', ctx.command);
    const client = await ctx.client();
    const request: CreateBackupRequest = { scope };
    if (tenant) request.tenantId = (await resolveTenant(client, tenant)).id;
    const note = ctx.string('note');
    if (note) request.note = note;
    const job = await waitForJob(ctx, client, await client.post<JobView>('/api/backups', request));
    if (job.status !== 'succeeded') throw jobFailure(job);
    ctx.out.result({ job }, () => {
      const result = (job.result ?? {}) as { backupId?: string; fileName?: string; sizeBytes?: number; pruned?: number };
      const lines = [jobHeadline(job)];
      if (result.backupId) lines.push(`Backup ${result.backupId}: ${result.fileName ?? '?'} (${formatBytes(result.sizeBytes)}).`);
      if (result.pruned) lines.push(`${result.pruned} old scheduled backup(s) pruned.`);
      return lines.join('\n');
    });
    return EXIT_OK;
  },
};

const restore: Command = {
  name: 'restore',
  summary: 'Restore a backup (a replace-import; a pre-restore backup is taken first)',
  usage: '<backup-id> [--dry-run] [--yes]',
  description: [
    "Puts the backup's scope back exactly as it was when the backup was taken. --dry-run shows the",
    'plan without writing. Outside a terminal a real restore needs --yes.',
  ].join('\n'),
  positionals: { min: 1, max: 1 },
  options: {
    'dry-run': { type: 'boolean', description: 'Validate and plan only; write nothing' },
    yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation' },
  },
  async run(ctx) {
    const id = backupId(ctx.args.positionals[0], ctx.command);
    const dryRun = ctx.flag('dry-run');
    if (!dryRun && !ctx.flag('yes') && !ctx.io.stdinIsTTY)
      throw new UsageError('A restore replaces data: add --yes to confirm, or --dry-run to preview', ctx.command);
    const client = await ctx.client();
    if (!dryRun && !ctx.flag('yes')) {
      const backup = await client.get<BackupView>(`/api/backups/${id}`);
      const what = backup.scope === 'full' ? 'ALL tenants and the global data' : `tenant ${backup.tenantSlug ?? backup.tenantId}`;
      const answer = await ctx.io.prompt(
        `Restore ${what} at ${ctx.api} to the ${backup.kind} backup of ${formatTime(backup.createdAt)}${backup.note ? ` ("${backup.note}")` : ''}?\n` +
          'Everything written since is replaced (a pre-restore backup is taken first). Type "yes" to go on: ',
      );
      if (answer.trim().toLowerCase() !== 'yes') {
        ctx.out.note('Not restored.');
        return EXIT_FAILED;
      }
    }
    const job = await waitForJob(ctx, client, await client.post<JobView>(`/api/backups/${id}/restore`, { dryRun }));
    const report = await fetchReport(client, job);
    const ok = job.status === 'succeeded' && (report?.valid ?? true);
    ctx.out.result({ job, report }, () => {
      const lines = [`${jobHeadline(job)}${dryRun ? ' (dry run)' : ''}`];
      if (report) lines.push(describeReport(report));
      else if (job.result) lines.push(JSON.stringify(job.result, null, 2));
      if (job.error && (!report || report.errors.length === 0)) lines.push(`Error: ${job.error.message} (${job.error.code})`);
      return lines.join('\n');
    });
    return ok ? EXIT_OK : EXIT_FAILED;
  },
};

const downloadCommand: Command = {
  name: 'download',
  summary: 'Download a backup file (an SQL bundle that psql can load)',
  usage: '<backup-id> [--out <file|dir>]',
  positionals: { min: 1, max: 1 },
  options: { out: { type: 'string', value: '<file|dir>', description: 'Where to save it (default: the current directory)' } },
  async run(ctx) {
    const id = backupId(ctx.args.positionals[0], ctx.command);
    const client = await ctx.client();
    const bar = new ProgressBar(ctx.out);
    const file = await download(client, `/api/backups/${id}/download`, {
      out: ctx.string('out'),
      cwd: ctx.io.cwd,
      fallbackName: `rythm-backup-${id}.sql.gz`,
      onBytes: (done, total) => bar.bytes('download', done, total),
    }).finally(() => bar.clear());
    ctx.out.result({ backupId: id, file }, () => `Saved ${file.path} (${formatBytes(file.sizeBytes)}, sha256 ${file.sha256}).`);
    return EXIT_OK;
  },
};

export const backupsGroup: CommandGroup = { name: 'backups', summary: 'Backups and restores', commands: [list, create, restore, downloadCommand] };
