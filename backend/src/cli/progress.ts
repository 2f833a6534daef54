import type { JobView } from '../shared/api-types.js';
import { formatBytes, formatNumber } from './format.js';
import type { Output } from './io.js';

const BAR_WIDTH = 16;

/** One status line for a job: `export  running  users  [#####.....]  42%  1,234/2,900 rows  0:12`. */
export function progressLine(job: JobView, elapsedMs: number, columns = 80): string {
  const parts: string[] = [job.type, job.status];
  const progress = job.progress;
  if (progress) {
    const phase = progress.table && progress.phase !== progress.table ? `${progress.phase} ${progress.table}` : progress.phase;
    if (phase && phase !== job.status) parts.push(phase);
    if (progress.rowsTotal && progress.rowsTotal > 0) {
      const ratio = Math.min(1, Math.max(0, progress.rowsDone / progress.rowsTotal));
      parts.push(bar(ratio), `${Math.floor(ratio * 100)}%`.padStart(4), `${formatNumber(progress.rowsDone)}/${formatNumber(progress.rowsTotal)} rows`);
    } else if (progress.rowsDone > 0) {
      parts.push(`${formatNumber(progress.rowsDone)} rows`);
    }
  }
  parts.push(clock(elapsedMs));
  return fit(parts.join('  '), columns);
}

/** A transfer of bytes (upload or download), `[#####.....]  42%  12 MB/30 MB`. */
export function bytesLine(label: string, done: number, total: number | null, columns = 80): string {
  const parts = [label];
  if (total && total > 0) {
    const ratio = Math.min(1, done / total);
    parts.push(bar(ratio), `${Math.floor(ratio * 100)}%`.padStart(4), `${formatBytes(done)}/${formatBytes(total)}`);
  } else {
    parts.push(formatBytes(done));
  }
  return fit(parts.join('  '), columns);
}

function bar(ratio: number): string {
  const filled = Math.round(ratio * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

function fit(line: string, columns: number): string {
  const width = Math.max(20, columns - 1);
  return line.length > width ? `${line.slice(0, width - 1)}…` : line;
}

/**
 * Redraws one line on stderr when it is a terminal; does nothing otherwise, so logs and CI output
 * stay clean. At most ten redraws a second.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly out: Output) {}

  get enabled(): boolean {
    return this.out.stderrIsTTY;
  }

  job(job: JobView, force = false): void {
    this.draw(() => progressLine(job, Date.now() - this.started, this.out.columns), force);
  }

  bytes(label: string, done: number, total: number | null): void {
    this.draw(() => bytesLine(label, done, total, this.out.columns), false);
  }

  /** Removes the line, before the result or an error is printed. */
  clear(): void {
    if (!this.drawn) return;
    this.out.raw('\r\x1b[2K');
    this.drawn = false;
  }

  private draw(line: () => string, force: boolean): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.out.raw(`\r\x1b[2K${line()}`);
    this.drawn = true;
  }
}
