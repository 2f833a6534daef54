/** Pure geometry and findings of the backup-size chart (kept apart from the component for tests). */

export interface SizePoint {
  at: number;
  bytes: number;
}

export interface SizeSeries {
  key: string;
  label: string;
  points: SizePoint[];
}

export interface SizeDrop {
  series: string;
  at: number;
  from: number;
  to: number;
  /** 0.4 = the backup is 40 % smaller than the one before it. */
  fraction: number;
}

/** A drop of this much or more from one backup to the next is called out: the first sign of lost data. */
export const DROP_THRESHOLD = 0.3;

export function groupSeries<T>(items: readonly T[], key: (item: T) => string, label: (item: T) => string, point: (item: T) => SizePoint): SizeSeries[] {
  const byKey = new Map<string, SizeSeries>();
  for (const item of items) {
    const k = key(item);
    let series = byKey.get(k);
    if (!series) {
      series = { key: k, label: label(item), points: [] };
      byKey.set(k, series);
    }
    series.points.push(point(item));
  }
  for (const series of byKey.values()) series.points.sort((a, b) => a.at - b.at);
  return [...byKey.values()].sort((a, b) => a.label.localeCompare(b.label));
}

export function findDrops(series: readonly SizeSeries[], threshold = DROP_THRESHOLD): SizeDrop[] {
  const drops: SizeDrop[] = [];
  for (const s of series) {
    for (let i = 1; i < s.points.length; i++) {
      const from = s.points[i - 1].bytes;
      const to = s.points[i].bytes;
      if (from > 0 && (from - to) / from >= threshold) drops.push({ series: s.label, at: s.points[i].at, from, to, fraction: (from - to) / from });
    }
  }
  return drops.sort((a, b) => b.at - a.at);
}

/** SVG polyline points for a series inside a width × height box, with shared x and y domains. */
export function polyline(points: readonly SizePoint[], x: [number, number], y: [number, number], width: number, height: number): string {
  const dx = x[1] - x[0];
  const dy = y[1] - y[0] || 1;
  // One instant only (a single backup): in the middle rather than against the left edge.
  const px = (at: number): number => (dx === 0 ? width / 2 : ((at - x[0]) / dx) * width);
  return points.map((p) => `${px(p.at).toFixed(1)},${(height - ((p.bytes - y[0]) / dy) * height).toFixed(1)}`).join(' ');
}
