import 'reflect-metadata';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { offlineDomainTables } from '../database/offline-tables.js';
import type { TableSpec } from '../transfer/table-graph.js';

/**
 * Shared by `npm run bench` (bench.ts, the orchestrator) and its measured child processes
 * (bench-worker.ts). Nothing here asserts timings: the benchmark only measures and reports.
 */

/** The line a worker prints last on stdout: `BENCH_RESULT {json}`. */
export const RESULT_PREFIX = 'BENCH_RESULT ';

export interface TableMeasure {
  table: string;
  rows: number;
  bytes: number;
  ms: number;
}

/** What every worker reports. `ms` covers the measured operation only (not Node start-up). */
export interface WorkerResult {
  ok: boolean;
  ms: number;
  rows: number;
  /** Bytes moved: COPY output received, bundle file written, or bundle file read. */
  bytes: number;
  /** process.resourceUsage().maxRSS of the worker, KiB, read just before it exits. */
  maxRssKiB: number;
  error?: string;
  tables?: TableMeasure[];
  detail?: Record<string, unknown>;
}

/** The RYTHM tables in export order, from the entity metadata, without a connection. */
export const benchTables = (): Promise<TableSpec[]> => offlineDomainTables();

/** BENCH_PG_OPTIONS (e.g. `-c log_min_duration_statement=200`) is added to every worker session: for profiling. */
export function benchPool(url: string, max = 4): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, options: `-c TimeZone=UTC ${process.env.BENCH_PG_OPTIONS ?? ''}`.trim() });
  pool.on('error', () => undefined);
  return pool;
}

/** The same server, another database. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || 'postgres';
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** `--name value` from argv. */
export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}

export const hasFlag = (args: string[], name: string) => args.includes(`--${name}`);

/**
 * Runs one measured operation in its own process (`node <script> ...argv <op> <json args>`), so
 * that its peak RSS is its own, and returns the result line it printed last.
 */
export function runWorker(script: string, argv: string[], op: string, args: unknown): Promise<WorkerResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [script, ...argv, op, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
      if (!line) return reject(new Error(`worker ${op} exited with ${code} and no result: ${out.slice(-2000)}`));
      resolvePromise(JSON.parse(line.slice(RESULT_PREFIX.length)) as WorkerResult);
    });
  });
}

/** The worker's side: runs the operation, adds the process's peak RSS, prints the result line. */
export async function reportWorkerResult(operation: () => Promise<WorkerResult>): Promise<void> {
  let result: WorkerResult;
  try {
    result = await operation();
  } catch (error) {
    result = { ok: false, ms: 0, rows: 0, bytes: 0, maxRssKiB: 0, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  result.maxRssKiB = process.resourceUsage().maxRSS;
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}
