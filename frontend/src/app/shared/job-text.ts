import type { ExportResult, ImportReport, JobView, TablePlan } from '@rythm/api-types';
import { formatBytes } from './bytes.pipe';
import { formatDuration, jobDurationMs } from './dates';
import { plural, tableLabel } from './text';
import { asUndoReport, undoPlanSentence } from './undo/undo-report';

/** What a job was for a person: a dry run is not an import, a restore preview is not a restore, an undo check is not an undo. */
export type JobKind = 'export' | 'import' | 'dry-run' | 'backup' | 'restore' | 'restore-preview' | 'undo' | 'undo-preview';

export const JOB_KINDS: readonly { value: JobKind; label: string }[] = [
  { value: 'export', label: 'Export' },
  { value: 'import', label: 'Import' },
  { value: 'dry-run', label: 'Dry run' },
  { value: 'backup', label: 'Backup' },
  { value: 'restore', label: 'Restore' },
  { value: 'restore-preview', label: 'Restore preview' },
  { value: 'undo', label: 'Undo' },
  { value: 'undo-preview', label: 'Undo check' },
];

export function jobKind(job: Pick<JobView, 'type' | 'params'>): JobKind {
  const dryRun = job.params['dryRun'] === true;
  switch (job.type) {
    case 'import':
      return dryRun ? 'dry-run' : 'import';
    case 'restore':
      return dryRun ? 'restore-preview' : 'restore';
    case 'undo':
      return dryRun ? 'undo-preview' : 'undo';
    case 'export':
    case 'backup':
      return job.type;
  }
}

export function jobKindLabel(kind: JobKind): string {
  return JOB_KINDS.find((k) => k.value === kind)?.label ?? kind;
}

function totals(plan: readonly TablePlan[]): { insert: number; update: number; delete: number; skip: number } {
  const sum = { insert: 0, update: 0, delete: 0, skip: 0 };
  for (const row of plan) {
    sum.insert += row.insert;
    sum.update += row.update;
    sum.delete += row.delete;
    sum.skip += row.skip;
  }
  return sum;
}

/** "30 inserted, 2 updated, 0 deleted" (or "to insert" for a plan not yet applied). */
export function planSentence(plan: readonly TablePlan[], applied: boolean): string {
  const t = totals(plan);
  const parts = applied
    ? [`${t.insert.toLocaleString('en')} inserted`, `${t.update.toLocaleString('en')} updated`, `${t.delete.toLocaleString('en')} deleted`]
    : [`${t.insert.toLocaleString('en')} to insert`, `${t.update.toLocaleString('en')} to update`, `${t.delete.toLocaleString('en')} to delete`];
  if (t.skip > 0) parts.push(`${t.skip.toLocaleString('en')} skipped`);
  return parts.join(', ');
}

function asReport(result: JobView['result']): ImportReport | null {
  const r = result as Partial<ImportReport> | null;
  return r && Array.isArray(r.plan) && typeof r.valid === 'boolean' ? (r as ImportReport) : null;
}

function rowTotal(counts: unknown): number | null {
  if (!counts || typeof counts !== 'object') return null;
  return Object.values(counts as Record<string, unknown>).reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), 0);
}

/** While a job runs: "validating · Program assignments · 1,200 / 5,963 rows" (the phase once). */
export function describeJobProgress(job: JobView): string {
  const p = job.progress;
  if (!p) return job.status === 'queued' ? 'Waiting for a worker' : '';
  const parts: string[] = [];
  if (p.phase && p.phase.toLowerCase() !== job.status) parts.push(p.phase.charAt(0).toUpperCase() + p.phase.slice(1));
  if (p.table) parts.push(tableLabel(p.table));
  if (p.rowsDone || p.rowsTotal) parts.push(`${p.rowsDone.toLocaleString('en')}${p.rowsTotal ? ` / ${p.rowsTotal.toLocaleString('en')}` : ''} rows`);
  return parts.join(' · ');
}

/** Once a job has ended: what it did, in a sentence ("Exported 6,540 rows (1.2 MB) in 3.1 s"). */
export function describeJobOutcome(job: JobView): string {
  const took = formatDuration(jobDurationMs(job));
  const inTime = took === '—' ? '' : ` in ${took}`;
  if (job.status === 'cancelled') return 'Cancelled: nothing was changed.';
  const report = asReport(job.result);
  if (job.status === 'failed') {
    const undo = asUndoReport(job.result);
    if (undo && undo.conflicts.length + undo.moreConflicts > 0) {
      return `Found ${plural(undo.conflicts.length + undo.moreConflicts, 'conflict')}: nothing was changed.`;
    }
    if (report && !report.valid) {
      const count = report.errors.length + report.moreErrors;
      return `Found ${plural(count, 'problem')}: nothing was changed.`;
    }
    return job.error?.message ?? 'Failed: nothing was changed.';
  }
  if (job.status !== 'succeeded') return describeJobProgress(job);
  const kind = jobKind(job);
  switch (kind) {
    case 'export': {
      const r = job.result as Partial<ExportResult> | null;
      const rows = rowTotal(r?.rowCounts);
      return `Exported ${rows === null ? 'the bundle' : plural(rows, 'row')}${r?.sizeBytes !== undefined ? ` (${formatBytes(r.sizeBytes)})` : ''}${inTime}.`;
    }
    case 'backup': {
      const r = job.result as { sizeBytes?: number; rowCounts?: unknown } | null;
      const rows = rowTotal(r?.rowCounts);
      return `Backed up ${rows === null ? 'the data' : plural(rows, 'row')}${r?.sizeBytes !== undefined ? ` (${formatBytes(r.sizeBytes)})` : ''}${inTime}.`;
    }
    case 'dry-run':
    case 'restore-preview':
      return report ? `Checked${inTime}: ${planSentence(report.plan, false)}.` : `Checked${inTime}.`;
    case 'import':
    case 'restore': {
      const verb = kind === 'import' ? 'Imported' : 'Restored';
      return report ? `${verb}${inTime}: ${planSentence(report.plan, true)}.` : `${verb}${inTime}.`;
    }
    case 'undo-preview': {
      const undo = asUndoReport(job.result);
      if (!undo) return `Checked${inTime}.`;
      const conflicts = undo.conflicts.length + undo.moreConflicts;
      return `Checked${inTime}: ${undoPlanSentence(undo.plan, false)}${conflicts > 0 ? `; ${plural(conflicts, 'conflict')}` : ''}.`;
    }
    case 'undo': {
      const undo = asUndoReport(job.result);
      return undo ? `Undone${inTime}: ${undoPlanSentence(undo.plan, true)}.` : `Undone${inTime}.`;
    }
  }
}
