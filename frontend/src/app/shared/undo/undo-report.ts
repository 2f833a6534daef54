import type { ImportReport, JobView, UndoConflict, UndoReport, UndoTablePlan } from '@rythm/api-types';

/**
 * The import report as the console reads it. `undoneByJobId` is being added to the shared
 * ImportReport by the backend (GET /api/imports/:jobId/report); until then it is optional here,
 * and the intersection stays correct once the shared type has it.
 */
export type UndoableImportReport = ImportReport & { undoneByJobId?: string | null };

/** Conflicts that a forced undo overwrites (and counts in `overwritten`); the others always refuse it. */
const OVERWRITABLE: ReadonlySet<UndoConflict['reason']> = new Set(['changed', 'deleted', 'created']);

export function isOverwritable(conflict: UndoConflict): boolean {
  return OVERWRITABLE.has(conflict.reason);
}

export const CONFLICT_REASONS: Record<UndoConflict['reason'], string> = {
  changed: 'Changed since the import',
  deleted: 'Deleted since the import',
  created: 'Created since the import',
  references: 'Referenced by other rows',
  power: 'A role or credential you may not change',
};

/** A job's result (or a report body) when it has the shape of an UndoReport. */
export function asUndoReport(value: unknown): UndoReport | null {
  const r = value as Partial<UndoReport> | null;
  return r && typeof r === 'object' && Array.isArray(r.plan) && Array.isArray(r.conflicts) && typeof r.undoesJobId === 'string' ? (r as UndoReport) : null;
}

export function undoTotals(plan: readonly UndoTablePlan[]): { delete: number; restore: number; reinsert: number } {
  const sum = { delete: 0, restore: 0, reinsert: 0 };
  for (const row of plan) {
    sum.delete += row.delete;
    sum.restore += row.restore;
    sum.reinsert += row.reinsert;
  }
  return sum;
}

/** "12 deleted, 3 put back, 1 inserted again" (or "to delete…" for a plan not yet applied). */
export function undoPlanSentence(plan: readonly UndoTablePlan[], applied: boolean): string {
  const t = undoTotals(plan);
  const n = (value: number) => value.toLocaleString('en');
  return applied
    ? `${n(t.delete)} deleted, ${n(t.restore)} put back, ${n(t.reinsert)} inserted again`
    : `${n(t.delete)} to delete, ${n(t.restore)} to put back, ${n(t.reinsert)} to insert again`;
}

export interface ConflictCounts {
  /** Listed and counted beyond the list. */
  total: number;
  /** Listed conflicts that refuse the undo even with force. */
  blocking: number;
  /** Conflicts beyond the list: their reasons are not known here. */
  unlisted: number;
}

export function conflictCounts(report: Pick<UndoReport, 'conflicts' | 'moreConflicts'>): ConflictCounts {
  const blocking = report.conflicts.filter((c) => !isOverwritable(c)).length;
  return { total: report.conflicts.length + report.moreConflicts, blocking, unlisted: report.moreConflicts };
}

/** What a person may do next after a dry-run undo: undo, undo with force, or nothing (blocked). */
export type UndoDecision = 'undo' | 'force' | 'blocked';

export function undoDecision(report: Pick<UndoReport, 'conflicts' | 'moreConflicts'>): UndoDecision {
  const counts = conflictCounts(report);
  if (counts.blocking > 0) return 'blocked';
  return counts.total > 0 ? 'force' : 'undo';
}

/**
 * What an Undo action on a job would do, from the job alone (the list has no report): undo an
 * applied import that wrote a change set, or redo an import by undoing its applied undo. Null when
 * neither applies. Whether it was undone since is the API's answer (409 names the undo job).
 */
export function undoTarget(job: Pick<JobView, 'id' | 'type' | 'status' | 'params' | 'result'>): { jobId: string; redo: boolean } | null {
  if (job.status !== 'succeeded' || job.params['dryRun'] === true) return null;
  if (job.type === 'import') {
    const r = job.result as Partial<UndoableImportReport> | null;
    return r && canUndoImport(r) ? { jobId: job.id, redo: false } : null;
  }
  if (job.type === 'undo') {
    const r = asUndoReport(job.result);
    return r && r.applied && !r.dryRun && r.backupId ? { jobId: job.id, redo: true } : null;
  }
  return null;
}

/** An import that can be undone: applied, with a change set (not a full backup), and not undone already. */
export function canUndoImport(report: Partial<UndoableImportReport>): boolean {
  return report.applied === true && report.restorePoint === 'change-set' && !!report.backupId && !report.undoneByJobId;
}
