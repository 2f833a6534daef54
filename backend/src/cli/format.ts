/** Plain-text output: tables, sizes, dates. Pure functions, no I/O. */

export type Cell = string | number | boolean | null | undefined;

export interface Column {
  header: string;
  /** Numbers align right by default, text left. */
  align?: 'left' | 'right';
}

/**
 * A plain table: a header row, a rule of dashes, then the rows, columns two spaces apart.
 * No trailing spaces, so the output pastes cleanly into tickets and diffs.
 */
export function table(columns: (string | Column)[], rows: Cell[][]): string {
  const cols = columns.map((c) => (typeof c === 'string' ? { header: c } : c));
  const text = rows.map((row) => cols.map((_, i) => cell(row[i])));
  const numeric = cols.map(
    (c, i) => c.align ?? (rows.length > 0 && rows.every((row) => typeof row[i] === 'number' || row[i] === null || row[i] === undefined) ? 'right' : 'left'),
  );
  const widths = cols.map((c, i) => Math.max(c.header.length, ...text.map((row) => row[i].length)));
  const line = (values: string[]) =>
    values
      .map((value, i) => (numeric[i] === 'right' ? value.padStart(widths[i]) : value.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cols.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...text.map(line)].join('\n');
}

function cell(value: Cell): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  // One line per row: newlines and tabs in free text would break the columns.
  return value.replace(/[\r\n\t]+/g, ' ');
}

/** `key: value` lines with the keys aligned. */
export function keyValues(entries: [string, Cell][]): string {
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return entries.map(([key, value]) => `${`${key}:`.padEnd(width + 1)} ${cell(value)}`.trimEnd()).join('\n');
}

export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : String(value);
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '-';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** `2026-06-01 06:00:00Z`: UTC, so output from servers in different zones compares directly. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '-';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** Time between two ISO instants (a job's start and end), or '-' when either is missing. */
export function elapsed(from: string | null | undefined, to: string | null | undefined): string {
  if (!from || !to) return '-';
  return formatDuration(new Date(to).getTime() - new Date(from).getTime());
}
