import type { BundleError, ImportReport, JobView, TablePlan, TenantSummary } from '../../shared/api-types.js';
import type { ApiClient } from '../api-client.js';
import { canonicalUuid } from '../../shared/patterns.js';
import type { CommandContext } from '../command.js';
import { CliFailure } from '../errors.js';
import { elapsed, table } from '../format.js';
import { watchJob } from '../job-watcher.js';
import { ProgressBar } from '../progress.js';

/**
 * `--tenant` takes an id or a slug: an id goes to the API as it is (the API checks it), a slug is
 * looked up in GET /api/tenants.
 */
export async function resolveTenant(client: ApiClient, value: string): Promise<{ id: string; slug: string | null }> {
  const id = canonicalUuid(value);
  if (id) return { id, slug: null };
  const tenants = await client.get<TenantSummary[]>('/api/tenants');
  const match = tenants.find((t) => t.slug === value) ?? tenants.find((t) => t.slug.toLowerCase() === value.toLowerCase());
  if (!match) {
    const known = tenants.map((t) => t.slug).join(', ') || 'none visible to you';
    throw new CliFailure(`No tenant with the slug "${value}" (known: ${known}): \`rythm-data tenants\` lists them`, { code: 'UNKNOWN_TENANT' });
  }
  return { id: match.id, slug: match.slug };
}

/**
 * Waits for a job with a progress line on a terminal. Ctrl-C while waiting tells the user that the
 * job goes on on the server and how to stop it.
 */
export async function waitForJob(ctx: CommandContext, client: ApiClient, job: JobView): Promise<JobView> {
  const bar = new ProgressBar(ctx.out);
  if (!bar.enabled && !ctx.out.jsonMode) ctx.out.note(`${capitalise(job.type)} job ${job.id} ${job.status}; waiting for it to finish…`);
  ctx.io.onInterrupt(
    `Stopped waiting. The ${job.type} job ${job.id} goes on on the server: \`rythm-data jobs show ${job.id}\` follows it, \`rythm-data jobs cancel ${job.id}\` stops it.`,
  );
  try {
    bar.job(job, true);
    return await watchJob(client, job.id, { onUpdate: (update) => bar.job(update), pollMs: Number(ctx.io.env.RYTHM_POLL_MS) || undefined });
  } finally {
    bar.clear();
    ctx.io.onInterrupt(null);
  }
}

/** `Export job … failed: <reason>`, as a CliFailure carrying the job for --json. */
export function jobFailure(job: JobView): CliFailure {
  const reason = job.error ? `${job.error.message} (${job.error.code})` : 'no reason was given';
  return new CliFailure(`${capitalise(job.type)} job ${job.id} ${job.status}: ${reason}`, { code: job.error?.code ?? 'JOB_FAILED', job });
}

export function jobHeadline(job: JobView): string {
  return `${capitalise(job.type)} job ${job.id} ${job.status} in ${elapsed(job.startedAt ?? job.createdAt, job.finishedAt)}`;
}

export function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

export function planTable(plan: TablePlan[]): string {
  return table(
    ['table', 'insert', 'update', 'unchanged', 'delete', 'skip'],
    plan.map((p) => [p.table, p.insert, p.update, p.unchanged, p.delete, p.skip]),
  );
}

export function errorsTable(errors: BundleError[]): string {
  return table(
    ['table', 'row', 'field', 'message'],
    errors.map((e) => [e.table, e.rowId, e.field, e.message]),
  );
}

/** The plan, the errors and what happened, for an import or a restore. */
export function describeReport(report: ImportReport): string {
  const lines: string[] = [];
  if (report.plan.length > 0) lines.push('', 'Plan:', planTable(report.plan));
  if (report.errors.length > 0) {
    const more = report.moreErrors > 0 ? `; ${report.moreErrors} more not listed` : '';
    lines.push('', `Errors (${report.errors.length}${more}):`, errorsTable(report.errors));
  }
  lines.push('');
  if (!report.valid) lines.push('Validation failed: nothing was written. Fix the bundle (or the target) and try again.');
  else if (report.dryRun) lines.push('Dry run: nothing was written. Run the same command without --dry-run to apply it.');
  else if (report.applied) lines.push(`Applied in one transaction${report.backupId ? `; backup ${report.backupId} was taken first` : ''}.`);
  return lines.join('\n');
}

/** The import report of a finished import or restore job: GET /api/imports/:jobId/report, else the job's result. */
export async function fetchReport(client: ApiClient, job: JobView): Promise<ImportReport | null> {
  try {
    return await client.get<ImportReport>(`/api/imports/${encodeURIComponent(job.id)}/report`);
  } catch {
    const result = job.result as Partial<ImportReport> | null;
    if (result && Array.isArray(result.plan) && Array.isArray(result.errors)) {
      return {
        jobId: job.id,
        status: job.status,
        dryRun: false,
        strategy: 'replace',
        manifest: null,
        valid: true,
        moreErrors: 0,
        sampleDiffs: [],
        targetTenantId: null,
        backupId: null,
        applied: false,
        ...result,
      } as ImportReport;
    }
    return null;
  }
}
