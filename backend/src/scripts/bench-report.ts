import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import type { WorkerResult } from './bench-common.js';

/**
 * The report half of `npm run bench` (bench.ts measures): the rows it collected, their verdicts
 * against the targets, and the tables written into docs/benchmarks.md between its markers.
 */
export type Op = string;

export interface Target {
  /**
   * ratio: throughput ratio to the baseline at least `min`; dry: wall time no more than that of
   * `of`; within: wall time at most `max` times that of `of` (the s3 rows against local disk).
   */
  kind: 'ratio' | 'dry' | 'within';
  min?: number;
  max?: number;
  of?: Op;
}

export interface Row {
  size: number;
  op: Op;
  label: string;
  baseline?: Op;
  target?: Target;
  result: WorkerResult | null;
  /** Why there is no result. */
  skipped?: string;
  load1: number;
}

export const RSS_LIMIT_MB = { export: 256, import: 384 };
export const RSS_GROWTH = 1.1;

export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
export const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');

function find(rows: Row[], size: number, op: Op | undefined): Row | undefined {
  return op ? rows.find((r) => r.size === size && r.op === op) : undefined;
}

/** Throughput ratio to the baseline (rows/s over baseline rows/s). */
function ratio(rows: Row[], row: Row): number | null {
  const base = find(rows, row.size, row.baseline);
  if (!row.result?.ok || !base?.result?.ok || row.result.ms <= 0) return null;
  return row.result.rows / row.result.ms / (base.result.rows / base.result.ms);
}

function verdict(rows: Row[], row: Row): { target: string; met: string } {
  const t = row.target;
  if (!t) return { target: '', met: '' };
  if (t.kind === 'ratio') {
    const r = ratio(rows, row);
    return { target: `≥ ${t.min!.toFixed(2)}×`, met: r === null ? 'not measured' : r >= t.min! ? 'met' : 'not met' };
  }
  const of = find(rows, row.size, t.of);
  if (t.kind === 'within') {
    const limit = `≤ ${t.max!.toFixed(2)}× local`;
    if (!row.result?.ok || !of?.result?.ok) return { target: limit, met: 'not measured' };
    const times = row.result.ms / of.result.ms;
    return { target: `${limit} (${times.toFixed(2)}×)`, met: times <= t.max! ? 'met' : 'not met' };
  }
  const short = t.of!.split(':').pop();
  if (!row.result?.ok || !of?.result?.ok) return { target: `≤ ${short}`, met: 'not measured' };
  return { target: `≤ ${short} (${(of.result.ms / 1000).toFixed(2)} s)`, met: row.result.ms <= of.result.ms ? 'met' : 'not met' };
}

function sizeLabel(n: number): string {
  return n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  pgSettings: Record<string, string>;
  loadStart: number[];
  loadEnd: number[];
  startedAt: string;
  minutes: number;
}

export function renderReport(rows: Row[], sizes: number[], machine: Machine, command: string, source: string): string {
  const lines: string[] = [];
  const cell = (s: string | number) => String(s).replace(/\|/g, '\\|');
  const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
  const m = machine;
  lines.push(`Run ${m.startedAt} (${m.minutes.toFixed(1)} min): \`${command}\`, database ${source}.`);
  lines.push('');
  lines.push(`- Machine: ${m.cpus} cores (${m.cpuModel}), ${m.memoryGiB.toFixed(1)} GiB memory, ${m.os}`);
  lines.push(
    `- PostgreSQL: ${m.postgres}; ${Object.entries(m.pgSettings)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
  );
  lines.push(`- Node: ${m.node}`);
  lines.push(
    `- Load average (1, 5, 15 min): ${machine.loadStart.map((x) => x.toFixed(2)).join(', ')} at the start, ${machine.loadEnd.map((x) => x.toFixed(2)).join(', ')} at the end; the "load" column is the 1-minute load when each measurement started.`,
  );
  lines.push('');
  lines.push('| sets | operation | rows | MB | wall s | rows/s | MB/s | peak RSS MB | load | ratio (vs) | target | met |');
  lines.push('|---|---|--:|--:|--:|--:|--:|--:|--:|---|---|---|');
  for (const row of rows) {
    const size = sizeLabel(row.size);
    if (!row.result || !row.result.ok) {
      const why = row.skipped ?? `failed: ${(row.result?.error ?? '').split('\n')[0].slice(0, 160)}`;
      const v = verdict(rows, row);
      lines.push(
        `| ${size} | ${cell(row.label)} | not measured: ${cell(why)} | | | | | | ${row.load1.toFixed(2)} | | ${v.target} | ${v.target ? 'not measured' : ''} |`,
      );
      continue;
    }
    const r = row.result;
    const s = r.ms / 1000;
    const q = ratio(rows, row);
    const base = row.baseline ? row.baseline.replace('baseline:', '') : '';
    // Imports also against COPY into the real tables: the LIKE copies have no foreign keys.
    const real = row.op.startsWith('import:') ? ratio(rows, { ...row, baseline: 'baseline:import-real' }) : null;
    const v = verdict(rows, row);
    lines.push(
      `| ${size} | ${cell(row.label)} | ${fmt(r.rows)} | ${mb(r.bytes)} | ${s.toFixed(2)} | ${fmt(r.rows / s)} | ${(r.bytes / 1024 / 1024 / s).toFixed(1)} | ${(r.maxRssKiB / 1024).toFixed(0)} | ${row.load1.toFixed(2)} | ${q === null ? '' : `${q.toFixed(2)}× (${base})`}${real === null ? '' : `; ${real.toFixed(2)}× (import-real)`} | ${v.target} | ${v.met} |`,
    );
  }
  lines.push('');

  // Memory targets: at the largest size, and growth from the smallest to the largest.
  const big = Math.max(...sizes);
  const small = Math.min(...sizes);
  lines.push(`Peak RSS targets (worker process, at ${sizeLabel(big)} sets${small !== big ? `; growth from ${sizeLabel(small)}` : ''}):`);
  lines.push('');
  lines.push(
    `| operation | RSS at ${sizeLabel(small)} MB | RSS at ${sizeLabel(big)} MB | limit | met | growth | < ${Math.round((RSS_GROWTH - 1) * 100)}% more | met |`,
  );
  lines.push('|---|--:|--:|---|---|--:|---|---|');
  for (const row of rows.filter((r) => r.size === big && (r.op.startsWith('export:') || r.op.startsWith('import:')))) {
    const kind = row.op.startsWith('export:') ? 'export' : 'import';
    const limit = RSS_LIMIT_MB[kind];
    const smallRow = find(rows, small, row.op);
    const bigMb = row.result?.ok ? row.result.maxRssKiB / 1024 : null;
    const smallMb = smallRow?.result?.ok ? smallRow.result.maxRssKiB / 1024 : null;
    const growth = bigMb !== null && smallMb !== null && small !== big ? bigMb / smallMb : null;
    lines.push(
      `| ${cell(row.label)} | ${smallMb === null ? '—' : smallMb.toFixed(0)} | ${bigMb === null ? 'not measured' : bigMb.toFixed(0)} | ≤ ${limit} MB | ${bigMb === null ? 'not measured' : bigMb <= limit ? 'met' : 'not met'} | ${growth === null ? '—' : `${((growth - 1) * 100).toFixed(1)}%`} | < 10% | ${growth === null ? (small === big ? 'one size only' : 'not measured') : growth < RSS_GROWTH ? 'met' : 'not met'} |`,
    );
  }
  lines.push('');

  // Per-table baselines, for seeing which table costs what.
  for (const size of sizes) {
    const base = ['baseline:text', 'baseline:csv', 'baseline:json', 'baseline:import', 'baseline:import-real'].map((op) => find(rows, size, op));
    if (!base[0]?.result?.tables) continue;
    lines.push(`Baselines per table at ${sizeLabel(size)} sets (ms; rows):`);
    lines.push('');
    lines.push('| table | rows | COPY text | COPY CSV | COPY row_to_json | COPY FROM, LIKE | COPY FROM, real |');
    lines.push('|---|--:|--:|--:|--:|--:|--:|');
    for (const t of base[0].result.tables) {
      const ms = (row: Row | undefined) => {
        const x = row?.result?.tables?.find((y) => y.table === t.table);
        return x ? fmt(x.ms) : '';
      };
      lines.push(`| ${t.table} | ${fmt(t.rows)} | ${base.map(ms).join(' | ')} |`);
    }
    lines.push(`| **sum** | ${fmt(base[0].result.rows)} | ${base.map((r) => (r?.result?.ok ? fmt(r.result.ms) : '')).join(' | ')} |`);
    lines.push('');
  }

  // What the import engine spent its time on.
  const imports = rows.filter((r) => r.op.startsWith('import:') && r.result?.ok && r.result.detail);
  if (imports.length) {
    lines.push('Import phases (ms) and plans:');
    lines.push('');
    lines.push('| sets | import | read+stage | lock | validate+plan | backup | apply | plan (insert/update/unchanged/delete/skip) |');
    lines.push('|---|---|--:|--:|--:|--:|--:|---|');
    for (const row of imports) {
      const d = row.result!.detail as { phaseMs?: Record<string, number>; plan?: Record<string, number> };
      const p = d.phaseMs ?? {};
      const plan = d.plan ?? {};
      const ph = (k: string) => (p[k] === undefined ? '' : fmt(p[k]));
      lines.push(
        `| ${sizeLabel(row.size)} | ${cell(row.label)} | ${ph('read')} | ${ph('lock')} | ${ph('validate')} | ${ph('backup')} | ${ph('apply')} | ${[plan.insert, plan.update, plan.unchanged, plan.delete, plan.skip].join('/')} |`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}

// prettier-ignore keeps the generated tables as written, so `npm run format:check` passes after a run.
const markers = (name: string, command: string) => ({
  begin: `<!-- prettier-ignore-start -->\n<!-- ${name}:begin (written by ${command}; edit outside these markers) -->`,
  end: `<!-- ${name}:end -->\n<!-- prettier-ignore-end -->`,
});

/**
 * Replaces the generated part of docs/benchmarks.md, keeping the hand-written text around it.
 * `bench` is the in-process table (npm run bench), `bench-e2e` the end-to-end one (npm run bench:e2e).
 */
export async function writeDoc(path: string, report: string, name: 'bench' | 'bench-e2e' = 'bench'): Promise<void> {
  const { begin: BEGIN, end: END } = markers(name, name === 'bench' ? 'npm run bench' : 'npm run bench:e2e');
  const heading = name === 'bench' ? 'Latest run' : 'Latest end-to-end run';
  const generated = `${BEGIN}\n${report}\n${END}`;
  let text: string;
  if (existsSync(path)) {
    const old = await readFile(path, 'utf8');
    const a = old.indexOf(BEGIN);
    const b = old.indexOf(END, a);
    text = a >= 0 && b > a ? `${old.slice(0, a)}${generated}${old.slice(b + END.length)}` : `${old.trimEnd()}\n\n## ${heading}\n\n${generated}\n`;
  } else {
    text = `# Benchmarks\n\nReproduce with \`npm run bench\` (see below).\n\n## ${heading}\n\n${generated}\n`;
  }
  await writeFile(path, text);
}
