import type { JobView, Page } from '../../shared/api-types.js';
import { canonicalUuid, isTerminal } from '../../shared/patterns.js';
import { positiveInt } from '../args.js';
import type { Command, CommandGroup } from '../command.js';
import { EXIT_OK, UsageError } from '../errors.js';
import { elapsed, formatNumber, formatTime, keyValues, table } from '../format.js';
import { waitForJob } from './shared.js';

const JOB_TYPES = ['export', 'import', 'backup', 'restore'] as const;
const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export function jobId(value: string | undefined, command: string): string {
  const id = value ? canonicalUuid(value) : null;
  if (!id) throw new UsageError(`Give a job id (a UUID, as \`rythm-data jobs list\` shows), got "${value ?? ''}"`, command);
  return id;
}

function progressText(job: JobView): string {
  const p = job.progress;
  if (!p || isTerminal(job.status)) return '-';
  const rows = p.rowsTotal ? `${Math.floor((100 * p.rowsDone) / p.rowsTotal)}%` : p.rowsDone > 0 ? `${formatNumber(p.rowsDone)} rows` : '';
  return [p.phase, p.table, rows].filter(Boolean).join(' ');
}

const list: Command = {
  name: 'list',
  summary: 'List jobs, newest first',
  usage: '[--type <type>] [--status <status>] [--page <n>] [--page-size <n>]',
  positionals: { min: 0, max: 0 },
  options: {
    type: { type: 'string', value: '<type>', choices: JOB_TYPES, description: `Only this type: ${JOB_TYPES.join(', ')}` },
    status: { type: 'string', value: '<status>', choices: JOB_STATUSES, description: `Only this status: ${JOB_STATUSES.join(', ')}` },
    page: { type: 'string', value: '<n>', description: 'Page number (default 1)' },
    'page-size': { type: 'string', value: '<n>', description: 'Jobs per page (default 25, at most 200)' },
  },
  async run(ctx) {
    const client = await ctx.client();
    const page = await client.get<Page<JobView>>('/api/jobs', {
      type: ctx.string('type'),
      status: ctx.string('status'),
      page: positiveInt(ctx.string('page'), 'page', ctx.command),
      pageSize: positiveInt(ctx.string('page-size'), 'page-size', ctx.command),
    });
    ctx.out.result(page, () => {
      if (page.items.length === 0) return page.total === 0 ? 'No jobs.' : `No jobs on page ${page.page} (${page.total} in all).`;
      const rows = page.items.map((j) => [
        j.id,
        j.type,
        j.status,
        progressText(j),
        formatTime(j.createdAt),
        elapsed(j.startedAt, j.finishedAt),
        j.error?.message ?? null,
      ]);
      const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
      const footer = pages > 1 ? `\nPage ${page.page} of ${pages} (${page.total} jobs)${page.page < pages ? `: --page ${page.page + 1} for more` : ''}` : '';
      return table(['id', 'type', 'status', 'progress', 'created', 'took', 'error'], rows) + footer;
    });
    return EXIT_OK;
  },
};

const show: Command = {
  name: 'show',
  summary: 'Show one job: status, progress, parameters, result, error',
  usage: '<job-id> [--wait]',
  positionals: { min: 1, max: 1 },
  options: { wait: { type: 'boolean', description: 'Follow the job until it ends (progress on a terminal)' } },
  async run(ctx) {
    const id = jobId(ctx.args.positionals[0], ctx.command);
    const client = await ctx.client();
    let job = await client.get<JobView>(`/api/jobs/${id}`);
    if (ctx.flag('wait') && !isTerminal(job.status)) job = await waitForJob(ctx, client, job);
    ctx.out.result(job, () => {
      const text = keyValues([
        ['id', job.id],
        ['type', job.type],
        ['status', job.status],
        ['tenant', job.tenantId],
        ['created by', job.createdBy],
        ['created', formatTime(job.createdAt)],
        ['started', formatTime(job.startedAt)],
        ['finished', formatTime(job.finishedAt)],
        ['took', elapsed(job.startedAt, job.finishedAt)],
        ['progress', progressText(job)],
        ['error', job.error ? `${job.error.message} (${job.error.code})` : null],
      ]);
      const params = Object.keys(job.params ?? {}).length > 0 ? `\n\nParameters:\n${JSON.stringify(job.params, null, 2)}` : '';
      const result = job.result ? `\n\nResult:\n${JSON.stringify(job.result, null, 2)}` : '';
      return text + params + result;
    });
    return EXIT_OK;
  },
};

const cancel: Command = {
  name: 'cancel',
  summary: 'Cancel a queued or running job (its changes roll back)',
  usage: '<job-id>',
  positionals: { min: 1, max: 1 },
  options: {},
  async run(ctx) {
    const id = jobId(ctx.args.positionals[0], ctx.command);
    const client = await ctx.client();
    const job = await client.post<JobView>(`/api/jobs/${id}/cancel`);
    ctx.out.result(job, () =>
      job.status === 'cancelled'
        ? `Job ${job.id} cancelled.`
        : `Cancellation of job ${job.id} requested; it is ${job.status} and stops at its next checkpoint (\`rythm-data jobs show ${job.id} --wait\`).`,
    );
    return EXIT_OK;
  },
};

export const jobsGroup: CommandGroup = { name: 'jobs', summary: 'Background jobs', commands: [list, show, cancel] };
