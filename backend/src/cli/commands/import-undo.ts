import type { JobView, UndoConflict, UndoImportRequest, UndoReport } from '../../shared/api-types.js';
import { canonicalUuid } from '../../shared/patterns.js';
import type { ApiClient } from '../api-client.js';
import type { Command } from '../command.js';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../errors.js';
import { formatNumber, table } from '../format.js';
import { jobHeadline, waitForJob } from './shared.js';

/** Conflicts that --force overwrites; `references` and `power` refuse an undo even with it. */
const OVERWRITABLE: ReadonlySet<UndoConflict['reason']> = new Set(['changed', 'deleted', 'created']);

export type UndoDecision = 'undo' | 'force' | 'blocked';

/** What the check allows: a plain undo, an undo with --force (rows changed since), or none (a row blocks it). */
export function undoDecision(report: Pick<UndoReport, 'conflicts' | 'moreConflicts'>): UndoDecision {
  if (report.conflicts.some((c) => !OVERWRITABLE.has(c.reason))) return 'blocked';
  return report.conflicts.length + report.moreConflicts > 0 ? 'force' : 'undo';
}

export function undoTotals(report: Pick<UndoReport, 'plan'>): { delete: number; restore: number; reinsert: number } {
  const sum = { delete: 0, restore: 0, reinsert: 0 };
  for (const row of report.plan) {
    sum.delete += row.delete;
    sum.restore += row.restore;
    sum.reinsert += row.reinsert;
  }
  return sum;
}

/** The plan and the conflicts of an undo (or its check), as tables. */
export function describeUndo(report: UndoReport): string {
  const lines = [`Undoes job ${report.undoesJobId}, from change set ${report.changeSetId}.`];
  lines.push(
    '',
    'Plan (delete: rows the import inserted; restore: rows it updated; reinsert: rows it deleted):',
    report.plan.length === 0
      ? 'Nothing to undo: the import changed no rows.'
      : table(
          ['table', 'delete', 'restore', 'reinsert'],
          report.plan.map((p) => [p.table, p.delete, p.restore, p.reinsert]),
        ),
  );
  const total = report.conflicts.length + report.moreConflicts;
  if (total > 0) {
    const more = report.moreConflicts > 0 ? `; ${formatNumber(report.moreConflicts)} more not listed` : '';
    lines.push(
      '',
      `Conflicts (${formatNumber(report.conflicts.length)}${more}):`,
      table(
        ['table', 'row', 'reason', 'message'],
        report.conflicts.map((c) => [c.table, c.rowId, OVERWRITABLE.has(c.reason) ? c.reason : `${c.reason} (blocks)`, c.message]),
      ),
    );
  }
  return lines.join('\n');
}

/** An undo job's report: its result, else GET /api/imports/:jobId/undo-report. */
export async function fetchUndoReport(client: ApiClient, job: JobView): Promise<UndoReport | null> {
  const result = job.result as Partial<UndoReport> | null;
  if (result && Array.isArray(result.plan) && Array.isArray(result.conflicts)) return result as UndoReport;
  return client.get<UndoReport>(`/api/imports/${encodeURIComponent(job.id)}/undo-report`).catch(() => null);
}

function jobId(value: string | undefined, command: string): string {
  const id = value ? canonicalUuid(value) : null;
  if (!id) throw new UsageError(`Give the id of an import job (a UUID, as \`rythm-data jobs\` shows), got "${value ?? ''}"`, command);
  return id;
}

const rows = (n: number): string => `${formatNumber(n)} row${n === 1 ? '' : 's'}`;

export const undoCommand: Command = {
  name: 'undo',
  summary: 'Undo an applied import (or redo it, by undoing its undo): a check first, then the undo',
  usage: '<job-id> [--dry-run] [--force] [--yes]',
  description: [
    'Checks first (a dry-run undo) and prints what goes back per table and any conflicts: rows changed,',
    'deleted or created since the import (--force overwrites them) and rows that block the undo (a row the',
    'import did not write refers to one it inserted; a role or credential you may not change). Then asks',
    'to confirm and undoes in one transaction. The undo keeps a change set of its own: undo the undo job',
    'to redo the import. Outside a terminal a real undo needs --yes.',
    'Exit status 1 when a conflict stands in the way (with --dry-run too), or the undo is refused or fails.',
  ].join('\n'),
  positionals: { min: 1, max: 1 },
  options: {
    'dry-run': { type: 'boolean', description: 'Check only: print the plan and the conflicts; write nothing' },
    force: { type: 'boolean', description: 'Overwrite rows changed since the import (rows that block still refuse)' },
    yes: { type: 'boolean', short: 'y', description: 'Do not ask for confirmation' },
  },
  examples: [
    'rythm-data import undo 3f0c2a8e-5b1d-4c7e-9a2f-6d8b1e4c7a90 --dry-run',
    'rythm-data import undo 3f0c2a8e-5b1d-4c7e-9a2f-6d8b1e4c7a90 --force --yes',
  ],
  async run(ctx) {
    const id = jobId(ctx.args.positionals[0], ctx.command);
    const dryRun = ctx.flag('dry-run');
    const force = ctx.flag('force');
    const yes = ctx.flag('yes');
    if (!dryRun && !yes && !ctx.io.stdinIsTTY)
      throw new UsageError('An undo puts rows back as they were before the import: add --yes to confirm, or --dry-run to check only', ctx.command);
    const client = await ctx.client();
    const path = `/api/imports/${encodeURIComponent(id)}/undo`;

    const check = await waitForJob(ctx, client, await client.post<JobView>(path, { dryRun: true } satisfies UndoImportRequest));
    const checkReport = check.status === 'cancelled' ? null : await fetchUndoReport(client, check);
    const decision = checkReport ? undoDecision(checkReport) : null;
    const checkText = (): string => {
      const lines = [`${jobHeadline(check)} (check, nothing written)`];
      if (checkReport) lines.push(describeUndo(checkReport));
      if (check.error) lines.push('', `Error: ${check.error.message} (${check.error.code})`);
      return lines.join('\n');
    };
    // What stops here: a failed check, a blocking row, changed rows without --force.
    const stop = ((): string | null => {
      if (check.status !== 'succeeded' || !checkReport) return 'The check did not complete: nothing was undone.';
      const total = checkReport.conflicts.length + checkReport.moreConflicts;
      if (decision === 'blocked') return 'Blocked: a row marked "blocks" refuses the undo even with --force. Resolve it, then run the command again.';
      if (decision === 'force' && !force) return `${rows(total)} changed since the import: add --force to overwrite them (listed above).`;
      return null;
    })();
    if (dryRun || stop) {
      ctx.out.result({ check: { job: check, report: checkReport }, undo: null }, () => {
        const tail = stop ?? `Check only: nothing was written. Run the same command without --dry-run to undo${force ? ' (with --force)' : ''}.`;
        return `${checkText()}\n\n${tail}`;
      });
      return stop ? EXIT_FAILED : EXIT_OK;
    }
    if (!ctx.out.jsonMode) ctx.out.print(checkText());

    if (!yes) {
      const t = undoTotals(checkReport!);
      const overwrite = decision === 'force' ? `, overwriting ${rows(checkReport!.conflicts.length + checkReport!.moreConflicts)} changed since` : '';
      const answer = await ctx.io.prompt(
        `Undo job ${id} at ${ctx.api}: delete ${rows(t.delete)}, put back ${rows(t.restore)}, insert again ${rows(t.reinsert)}${overwrite}?\n` +
          'Type "yes" to go on: ',
      );
      if (answer.trim().toLowerCase() !== 'yes') {
        ctx.out.note('Not undone.');
        return EXIT_FAILED;
      }
    }

    const body: UndoImportRequest = decision === 'force' ? { dryRun: false, force: true } : { dryRun: false };
    const job = await waitForJob(ctx, client, await client.post<JobView>(path, body));
    const report = job.status === 'cancelled' ? null : await fetchUndoReport(client, job);
    const ok = job.status === 'succeeded' && report?.applied === true;
    ctx.out.result({ check: { job: check, report: checkReport }, undo: { job, report } }, () => {
      const lines = ['', jobHeadline(job)];
      if (!ok) {
        if (report && report.conflicts.length > 0) lines.push(describeUndo(report));
        lines.push('', `Not undone: ${job.error ? `${job.error.message} (${job.error.code})` : `the job ${job.status}`}. Nothing was written.`);
        return lines.join('\n');
      }
      const t = undoTotals(report);
      const overwritten = report.overwritten > 0 ? `; ${rows(report.overwritten)} changed since were overwritten` : '';
      lines.push(`Undone in one transaction: ${rows(t.delete)} deleted, ${rows(t.restore)} put back, ${rows(t.reinsert)} inserted again${overwritten}.`);
      if (report.backupId) lines.push(`To redo the import: rythm-data import undo ${job.id}`);
      return lines.join('\n');
    });
    return ok ? EXIT_OK : EXIT_FAILED;
  },
};
