/** Local midnight of a yyyy-mm-dd date (from <input type=date>), as an ISO instant. */
export function startOfDayIso(date: string): string {
  return new Date(`${date}T00:00:00`).toISOString();
}

/** Ranges are [from, to): the day after "to", so that the chosen last day is included. */
export function endOfDayExclusiveIso(date: string): string {
  const d = new Date(`${date}T00:00:00`);
  d.setDate(d.getDate() + 1);
  return d.toISOString();
}

/** The one way the console writes an instant: "2 Dec 2026, 01:32" (local time, 24 h). */
export const DATE_TIME_FORMAT = 'd MMM y, HH:mm';

const RELATIVE = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const STEPS: readonly [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

/**
 * "just now", "5 minutes ago", "yesterday", "3 days ago": for lists a person scans. Past a week
 * the absolute date is clearer, so it returns null and the caller shows that instead.
 */
export function relativeTime(iso: string | null | undefined, now: number = Date.now()): string | null {
  if (!iso) return null;
  const then = new Date(iso).getTime();
  if (!Number.isFinite(then)) return null;
  let value = (then - now) / 1000;
  if (Math.abs(value) < 45) return 'just now';
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return RELATIVE.format(Math.round(value), unit);
    value /= size;
  }
  return null;
}

/** "850 ms", "4.2 s", "3 min 5 s", "1 h 2 min". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const totalS = Math.round(s);
  const m = Math.floor(totalS / 60);
  if (m < 60) return `${m} min ${totalS % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** How long a job ran (start to finish), or null while it has not finished. */
export function jobDurationMs(job: { startedAt: string | null; finishedAt: string | null; createdAt: string }): number | null {
  if (!job.finishedAt) return null;
  const end = new Date(job.finishedAt).getTime();
  const start = new Date(job.startedAt ?? job.createdAt).getTime();
  return Number.isFinite(end - start) ? Math.max(0, end - start) : null;
}
