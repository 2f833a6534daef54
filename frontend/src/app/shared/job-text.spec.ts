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
