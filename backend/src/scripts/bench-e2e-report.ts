import { RSS_GROWTH, RSS_LIMIT_MB } from './bench-report.js';

/** The report half of `npm run bench:e2e` (bench-e2e.ts measures): rows, verdicts, the table in docs/benchmarks.md. */
export interface E2eRow {
  size: number;
  /** e.g. export:sql, import:json:merge-same, import:json:merge-same-dry */
  op: string;
  label: string;
  kind: 'export' | 'import';
  rows: number;
  bytes: number;
  /** Wall time of the operation through the API (export: POST to downloaded file; import: upload to finished job). */
  ms: number;
  /** Wall time of its psql baseline, run right before it. */
  baselineMs: number;
  /** Ratio target (baseline time over ours) or, for a dry run, the op whose wall time it may not exceed. */
  target: { min: number } | { dryOf: string };
  peakRssKiB: number;
  load1: number;
  /** Where the time went: queue, job, download / upload+queue, phases of the engine, backup. */
  parts: Record<string, number>;
  /** Rows per plan column (imports). */
  plan?: string;
  error?: string;
}

const sizeLabel = (n: number) => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const s = (ms: number) => (ms / 1000).toFixed(2);

export function verdict(rows: E2eRow[], row: E2eRow): { target: string; met: string; ratio: number | null } {
  if (row.error) return { target: '', met: 'failed', ratio: null };
  const ratio = row.ms > 0 ? row.baselineMs / row.ms : null;
  if ('min' in row.target) return { target: `≥ ${row.target.min.toFixed(1)}×`, met: ratio !== null && ratio >= row.target.min ? 'met' : 'not met', ratio };
  const dryOf = row.target.dryOf;
  const of = rows.find((r) => r.size === row.size && r.op === dryOf);
  if (!of || of.error) return { target: `≤ its import`, met: 'not measured', ratio };
  return { target: `≤ ${s(of.ms)} s (its import)`, met: row.ms <= of.ms ? 'met' : 'not met', ratio };
}

export function renderE2e(rows: E2eRow[], header: string[]): string {
  const lines = [...header, ''];
  lines.push('| sets | operation | rows | MB | wall s | psql s | ratio | target | met | peak RSS MB | load | where the time went (s) |');
  lines.push('|---|---|--:|--:|--:|--:|--:|---|---|--:|--:|---|');
  for (const r of rows) {
    const v = verdict(rows, r);
    const parts = Object.entries(r.parts)
      .map(([k, ms]) => `${k} ${s(ms)}`)
      .join(', ');
    if (r.error) {
      lines.push(
        `| ${sizeLabel(r.size)} | ${r.label} | failed: ${r.error.split('\n')[0].slice(0, 160).replace(/\|/g, '\\|')} | | | ${s(r.baselineMs)} | | | failed | | ${r.load1.toFixed(2)} | |`,
      );
      continue;
    }
    lines.push(
      `| ${sizeLabel(r.size)} | ${r.label} | ${r.rows.toLocaleString('en-US')} | ${(r.bytes / 1048576).toFixed(1)} | ${s(r.ms)} | ${s(r.baselineMs)} | ${v.ratio === null ? '' : `${v.ratio.toFixed(2)}×`} | ${v.target} | ${v.met} | ${(r.peakRssKiB / 1024).toFixed(0)} | ${r.load1.toFixed(2)} | ${parts}${r.plan ? `; plan ${r.plan}` : ''} |`,
    );
  }
  lines.push('');
  const sizes = [...new Set(rows.map((r) => r.size))].sort((a, b) => a - b);
  const big = sizes[sizes.length - 1];
  const small = sizes[0];
  lines.push(`Peak RSS of the API process during each operation (limit: export ${RSS_LIMIT_MB.export} MB, import ${RSS_LIMIT_MB.import} MB):`);
  lines.push('');
  lines.push(`| operation | ${sizes.map((n) => `${sizeLabel(n)} MB`).join(' | ')} | limit met | growth ${sizeLabel(small)} → ${sizeLabel(big)} (< 10%) |`);
  lines.push(`|---|${sizes.map(() => '--:|').join('')}---|---|`);
  for (const r of rows.filter((x) => x.size === big)) {
    const bySize = sizes.map((n) => rows.find((x) => x.size === n && x.op === r.op));
    const limit = RSS_LIMIT_MB[r.kind] * 1024;
    const first = bySize[0];
    const growth = first && first !== r && !first.error && !r.error ? r.peakRssKiB / first.peakRssKiB : null;
    lines.push(
      `| ${r.label} | ${bySize.map((x) => (x && !x.error ? (x.peakRssKiB / 1024).toFixed(0) : '—')).join(' | ')} | ${r.error ? 'failed' : r.peakRssKiB <= limit ? 'met' : 'not met'} | ${growth === null ? 'one size only' : `${((growth - 1) * 100).toFixed(1)}% ${growth < RSS_GROWTH ? 'met' : 'not met'}`} |`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
