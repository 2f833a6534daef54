import type { JobView } from '../shared/api-types.js';
import { elapsed, formatBytes, formatDuration, formatTime, keyValues, table } from './format.js';
import { bytesLine, progressLine } from './progress.js';

describe('table', () => {
  it('aligns text left and numbers right under a rule, two spaces apart, without trailing spaces', () => {
    const text = table(
      ['table', 'insert', 'note'],
      [
        ['users', 1200, 'ok'],
        ['program_assignments', 3, null],
      ],
    );
    expect(text.split('\n')).toEqual([
      'table                insert  note',
      '-------------------  ------  ----',
      'users                 1,200  ok',
      'program_assignments       3  -',
    ]);
  });

  it('prints only the header and rule when there are no rows', () => {
    expect(table(['id', 'status'], [])).toBe('id  status\n--  ------');
  });

  it('keeps each row on one line when a cell has newlines or tabs', () => {
    expect(table(['message'], [['line one\nline\ttwo']]).split('\n')[2]).toBe('line one line two');
  });

  it('shows booleans as yes and no, and lets a column force its alignment', () => {
    expect(
      table(
        [{ header: 'n', align: 'left' }, 'valid'],
        [
          [5, true],
          [50, false],
        ],
      )
        .split('\n')
        .slice(2),
    ).toEqual(['5   yes', '50  no']);
  });
});

describe('keyValues', () => {
  it('aligns the values after the keys', () => {
    expect(
      keyValues([
        ['id', 'abc'],
        ['finished', null],
      ]),
    ).toBe('id:       abc\nfinished: -');
  });
});

describe('sizes, times and durations', () => {
  it('formats bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(formatBytes(null)).toBe('-');
  });

  it('formats instants in UTC to the second', () => {
    expect(formatTime('2026-06-01T08:00:00.123+02:00')).toBe('2026-06-01 06:00:00Z');
    expect(formatTime(null)).toBe('-');
  });

  it('formats durations from ms to hours', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(12_340)).toBe('12.3 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3_720_000)).toBe('1 h 2 min');
    expect(elapsed('2026-01-01T00:00:00Z', null)).toBe('-');
  });
});

describe('progress lines', () => {
  const job = (progress: JobView['progress'], status: JobView['status'] = 'running'): JobView => ({
    id: 'j',
    type: 'export',
    status,
    tenantId: null,
    createdBy: null,
    params: {},
    progress,
    result: null,
    error: null,
    createdAt: '',
    startedAt: null,
    finishedAt: null,
  });

  it('shows the phase, table, a bar, the percentage, rows and the clock', () => {
    expect(progressLine(job({ phase: 'writing', table: 'sets', rowsDone: 500, rowsTotal: 1000 }), 65_000)).toBe(
      'export  running  writing sets  [########........]   50%  500/1,000 rows  1:05',
    );
  });

  it('shows rows without a bar when the total is unknown', () => {
    expect(progressLine(job({ phase: 'reading', rowsDone: 12 }), 1000)).toBe('export  running  reading  12 rows  0:01');
  });

  it('does not repeat a phase equal to the status, and fits the terminal width', () => {
    expect(progressLine(job({ phase: 'queued', rowsDone: 0 }, 'queued'), 0)).toBe('export  queued  0:00');
    expect(progressLine(job({ phase: 'x'.repeat(200), rowsDone: 0 }), 0, 40)).toHaveLength(39);
  });

  it('shows transferred bytes against the total', () => {
    expect(bytesLine('download', 1024 * 1024, 4 * 1024 * 1024)).toBe('download  [####............]   25%  1.0 MB/4.0 MB');
  });
});
