import type { UndoConflict, UndoReport } from '@rythm/api-types';
import { job, report } from '../../../testing/fixtures';
import { asUndoReport, canUndoImport, conflictCounts, undoDecision, undoTarget, undoTotals } from './undo-report';

const conflict = (reason: UndoConflict['reason'], rowId = 'r1'): UndoConflict => ({ table: 'sets', rowId, reason, message: `${reason} row` });

function undoReport(overrides: Partial<UndoReport> = {}): UndoReport {
  return {
    jobId: 'undo-1',
    status: 'succeeded',
    undoesJobId: 'import-1',
    changeSetId: 'cs-1',
    tenantId: 'tenant-acme',
    dryRun: false,
    force: false,
    plan: [{ table: 'sessions', delete: 3, restore: 1, reinsert: 2 }],
    conflicts: [],
    moreConflicts: 0,
    overwritten: 0,
    applied: true,
    backupId: 'cs-2',
    durationMs: 10,
    ...overrides,
  };
}

describe('undo report logic', () => {
  it('reads an UndoReport only from something shaped like one', () => {
    expect(asUndoReport(undoReport())).not.toBeNull();
    expect(asUndoReport(report())).toBeNull();
    expect(asUndoReport(null)).toBeNull();
  });

  it('sums the plan per action', () => {
    expect(
      undoTotals([
        { table: 'a', delete: 1, restore: 2, reinsert: 3 },
        { table: 'b', delete: 10, restore: 0, reinsert: 1 },
      ]),
    ).toEqual({ delete: 11, restore: 2, reinsert: 4 });
  });

  it('lets a clean plan undo, overwritable conflicts undo with force, and any blocking conflict block', () => {
    expect(undoDecision(undoReport())).toBe('undo');
    expect(undoDecision(undoReport({ conflicts: [conflict('changed'), conflict('deleted', 'r2'), conflict('created', 'r3')] }))).toBe('force');
    expect(undoDecision(undoReport({ conflicts: [], moreConflicts: 4 }))).toBe('force');
    expect(undoDecision(undoReport({ conflicts: [conflict('changed'), conflict('references', 'r2')] }))).toBe('blocked');
    expect(undoDecision(undoReport({ conflicts: [conflict('power')] }))).toBe('blocked');
    expect(conflictCounts(undoReport({ conflicts: [conflict('changed'), conflict('power', 'r2')], moreConflicts: 5 }))).toEqual({
      total: 7,
      blocking: 1,
      unlisted: 5,
    });
  });

  it('offers undo for an applied import with a change set, not for a full backup, a dry run or one already undone', () => {
    const applied = report({ applied: true, dryRun: false, backupId: 'cs-1', restorePoint: 'change-set' });
    expect(canUndoImport(applied)).toBe(true);
    expect(canUndoImport({ ...applied, restorePoint: 'full' })).toBe(false);
    expect(canUndoImport({ ...applied, applied: false })).toBe(false);
    expect(canUndoImport({ ...applied, backupId: null })).toBe(false);
    expect(canUndoImport({ ...applied, undoneByJobId: 'undo-9' })).toBe(false);
  });

  it('finds the Undo action of a job: undo an import, redo through an applied undo, nothing otherwise', () => {
    const applied = { ...report({ applied: true, dryRun: false, backupId: 'cs-1', restorePoint: 'change-set' }) };
    expect(undoTarget(job({ id: 'imp', type: 'import', status: 'succeeded', params: { dryRun: false }, result: applied }))).toEqual({
      jobId: 'imp',
      redo: false,
    });
    expect(undoTarget(job({ id: 'imp', type: 'import', status: 'succeeded', params: { dryRun: true }, result: applied }))).toBeNull();
    expect(undoTarget(job({ id: 'imp', type: 'import', status: 'failed', result: applied }))).toBeNull();
    expect(undoTarget(job({ id: 'u', type: 'undo', status: 'succeeded', result: { ...undoReport() } }))).toEqual({ jobId: 'u', redo: true });
    expect(undoTarget(job({ id: 'u', type: 'undo', status: 'succeeded', params: { dryRun: true }, result: { ...undoReport() } }))).toBeNull();
    expect(undoTarget(job({ id: 'u', type: 'undo', status: 'succeeded', result: { ...undoReport({ applied: false, backupId: null }) } }))).toBeNull();
    expect(undoTarget(job({ id: 'b', type: 'backup', status: 'succeeded' }))).toBeNull();
  });
});
