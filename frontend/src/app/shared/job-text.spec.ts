import { job, report } from '../../testing/fixtures';
import { formatDuration, relativeTime } from './dates';
import { describeJobOutcome, describeJobProgress, jobKind } from './job-text';
import { clientAddress, plural, tableLabel } from './text';

describe('job text', () => {
  it('tells a dry run and a restore preview from the real thing', () => {
    expect(jobKind(job({ type: 'import', params: { dryRun: true } }))).toBe('dry-run');
    expect(jobKind(job({ type: 'import', params: { dryRun: false } }))).toBe('import');
    expect(jobKind(job({ type: 'restore', params: { dryRun: true } }))).toBe('restore-preview');
    expect(jobKind(job({ type: 'backup' }))).toBe('backup');
    expect(jobKind(job({ type: 'undo', params: { dryRun: true } }))).toBe('undo-preview');
    expect(jobKind(job({ type: 'undo', params: { dryRun: false } }))).toBe('undo');
  });

  it('says what an undo did, what its check found, and why a refused undo changed nothing', () => {
    const times = { startedAt: '2026-03-01T10:00:00.000Z', finishedAt: '2026-03-01T10:00:01.500Z' };
    const undo = {
      jobId: 'u1',
      status: 'succeeded',
      undoesJobId: 'imp-1',
      changeSetId: 'cs-1',
      tenantId: null,
      dryRun: false,
      force: false,
      plan: [
        { table: 'sessions', delete: 10, restore: 2, reinsert: 0 },
        { table: 'sets', delete: 30, restore: 0, reinsert: 1 },
      ],
      conflicts: [],
      moreConflicts: 0,
      overwritten: 0,
      applied: true,
      backupId: 'cs-2',
      durationMs: 1500,
    };
    expect(describeJobOutcome(job({ type: 'undo', status: 'succeeded', params: { dryRun: false }, result: { ...undo }, ...times }))).toBe(
      'Undone in 1.5 s: 40 deleted, 2 put back, 1 inserted again.',
    );
    const conflicts = [{ table: 'sets', rowId: 's1', reason: 'changed', message: 'reps changed' }];
    expect(
      describeJobOutcome(
        job({
          type: 'undo',
          status: 'succeeded',
          params: { dryRun: true },
          result: { ...undo, dryRun: true, applied: false, conflicts, moreConflicts: 2 },
          ...times,
        }),
      ),
    ).toBe('Checked in 1.5 s: 40 to delete, 2 to put back, 1 to insert again; 3 conflicts.');
    expect(
      describeJobOutcome(
        job({
          type: 'undo',
          status: 'failed',
          params: { dryRun: false },
          result: { ...undo, applied: false, conflicts },
          error: { code: 'CONFLICT', message: '1 row changed since the import' },
        }),
      ),
    ).toBe('Found 1 conflict: nothing was changed.');
  });

  it('names the phase once and the table as people read it while a job runs', () => {
    const running = job({ status: 'running', progress: { phase: 'running', table: 'program_assignments', rowsDone: 5963, rowsTotal: 5963 } });
    expect(describeJobProgress(running)).toBe('Program assignments · 5,963 / 5,963 rows');
  });

  it('says what a finished job did, not its status again', () => {
    const times = { startedAt: '2026-03-01T10:00:00.000Z', finishedAt: '2026-03-01T10:00:02.100Z' };
    const applied = report({ applied: true, plan: [{ table: 'sets', insert: 30, update: 2, unchanged: 0, delete: 1, skip: 0 }] });
    expect(describeJobOutcome(job({ type: 'import', status: 'succeeded', params: { dryRun: false }, result: { ...applied }, ...times }))).toBe(
      'Imported in 2.1 s: 30 inserted, 2 updated, 1 deleted.',
    );
    expect(describeJobOutcome(job({ type: 'import', status: 'succeeded', params: { dryRun: true }, result: { ...applied }, ...times }))).toBe(
      'Checked in 2.1 s: 30 to insert, 2 to update, 1 to delete.',
    );
    const invalid = report({ valid: false, errors: [{ table: 'sets', rowId: 's', field: 'reps', message: 'x' }], moreErrors: 0 });
    expect(describeJobOutcome(job({ type: 'import', status: 'failed', result: { ...invalid }, ...times }))).toBe('Found 1 problem: nothing was changed.');
    expect(describeJobOutcome(job({ type: 'export', status: 'succeeded', result: { rowCounts: { a: 2, b: 3 }, sizeBytes: 2048 }, ...times }))).toBe(
      'Exported 5 rows (2.0 KB) in 2.1 s.',
    );
    expect(describeJobOutcome(job({ status: 'cancelled' }))).toBe('Cancelled: nothing was changed.');
  });

  it('writes counts, durations, relative times, table names and addresses for people', () => {
    expect(plural(1, 'problem')).toBe('1 problem');
    expect(plural(1204, 'row')).toBe('1,204 rows');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(185_000)).toBe('3 min 5 s');
    const now = Date.parse('2026-03-01T12:00:00Z');
    expect(relativeTime('2026-03-01T11:55:00Z', now)).toBe('5 minutes ago');
    expect(relativeTime('2026-02-28T12:00:00Z', now)).toBe('yesterday');
    expect(relativeTime('2026-01-01T12:00:00Z', now)).toBeNull();
    expect(tableLabel('program_assignments')).toBe('Program assignments');
    expect(tableLabel('new_things')).toBe('New things');
    expect(clientAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(clientAddress('2001:db8::1')).toBe('2001:db8::1');
  });
});
