import 'reflect-metadata';
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
