import { createReadStream, createWriteStream } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { ExportFormat, ExportRequest } from '../shared/api-types.js';
import { applyBundleSessionSettings } from '../transfer/bundle/session-settings.js';
import { exportBundle } from '../transfer/export/export-bundle.js';
import { planExport, type PlannedTable, selectSql } from '../transfer/export/export-plan.js';
import { normaliseExport } from '../transfer/export/export-selection.js';
import { benchPool, benchTables, quoteIdent, reportWorkerResult, type TableMeasure, type WorkerResult } from './bench-common.js';
import { type BenchS3, benchSource, benchStorage } from './bench-storage.js';

/**
 * One measured operation per process, so that its peak RSS is its own:
 *
 *   node backend/dist/scripts/bench-worker.js <op> '<json args>'
 *
 * ops: copy-out (the COPY TO baselines, and the dump the import baseline reads), copy-in (the
 * COPY FROM import baseline), export (exportBundle), import (importBundle). The last stdout line
 * is `BENCH_RESULT {...}` (WorkerResult). Run one by hand with `node --cpu-prof` to profile it.
 */

interface CopyOutArgs {
  url: string;
  tenantId: string;
  /** text: the SQL baseline; csv: the CSV baseline; json: row_to_json, the JSON baseline. */
  format: 'text' | 'csv' | 'json';
  /** Writes each table's COPY output to <dumpDir>/<table>.copy and tables.json (unmeasured setup). */
  dumpDir?: string;
}

interface CopyInArgs {
  url: string;
  dumpDir: string;
  /** like: empty `LIKE … INCLUDING ALL` copies in a scratch schema (no foreign keys); real: the migrated tables. */
  mode: 'like' | 'real';
}

interface ExportArgs {
  url: string;
  tenantId: string;
  format: ExportFormat;
  compress: boolean;
  /** A file path, or null for a sink that discards. With `s3`: the object's name in the bucket. */
  out: string | null;
  /** Through the storage layer into this bucket (--storage s3). */
  s3?: BenchS3;
}

interface ImportArgs {
  url: string;
  /** A file path; with `s3`, the object's name in the bucket. */
  file: string;
  strategy: 'replace' | 'merge' | 'skip';
  dryRun: boolean;
  s3?: BenchS3;
}

const nullSink = () =>
  new Writable({
    write(_chunk, _encoding, callback) {
      callback();
    },
  });

async function tenantPlan(tenantId: string): Promise<PlannedTable[]> {
  const tables = await benchTables();
  const selection = normaliseExport({ scope: 'tenant', tenantId, format: 'sql' });
  return planExport(tables, selection, 'bench');
}

async function copyOut(args: CopyOutArgs): Promise<WorkerResult> {
  const plan = await tenantPlan(args.tenantId);
  const pool = benchPool(args.url, 1);
  const client = await pool.connect();
  try {
    await client.query('SELECT 1');
    const started = performance.now();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await applyBundleSessionSettings(client, { local: true });
    const measures: TableMeasure[] = [];
    for (const table of plan) {
      const select = selectSql(table);
      const sql =
        args.format === 'text'
          ? `COPY (${select}) TO STDOUT`
          : args.format === 'csv'
            ? `COPY (${select}) TO STDOUT WITH (FORMAT csv, HEADER true)`
            : `COPY (SELECT row_to_json(t) FROM (${select}) t) TO STDOUT`;
      const t0 = performance.now();
      const stream = client.query(copyTo(sql));
      let bytes = 0;
      if (args.dumpDir) {
        const file = createWriteStream(join(args.dumpDir, `${table.spec.name}.copy`));
        await pipeline(
          stream,
          async function* (source: AsyncIterable<Buffer>) {
            for await (const chunk of source) {
              bytes += chunk.length;
              yield chunk;
            }
          },
          file,
        );
      } else {
        for await (const chunk of stream as AsyncIterable<Buffer>) bytes += chunk.length;
      }
      measures.push({ table: table.spec.name, rows: stream.rowCount, bytes, ms: performance.now() - t0 });
    }
    await client.query('COMMIT');
    const ms = performance.now() - started;
    if (args.dumpDir) {
      const tables = plan.map((t) => ({ name: t.spec.name, columns: t.columns.map((c) => c.spec.name) }));
      await writeFile(join(args.dumpDir, 'tables.json'), JSON.stringify({ tables, measures }));
    }
    return total(ms, measures);
  } finally {
    client.release();
    await pool.end();
  }
}

async function copyIn(args: CopyInArgs): Promise<WorkerResult> {
  const { tables } = JSON.parse(await readFile(join(args.dumpDir, 'tables.json'), 'utf8')) as { tables: { name: string; columns: string[] }[] };
  const pool = benchPool(args.url, 1);
  const client = await pool.connect();
  const schema = args.mode === 'like' ? 'bench_scratch' : 'public';
  try {
    await applyBundleSessionSettings(client);
    if (args.mode === 'like') {
      await client.query(`DROP SCHEMA IF EXISTS bench_scratch CASCADE; CREATE SCHEMA bench_scratch`);
      for (const t of tables) await client.query(`CREATE TABLE bench_scratch.${quoteIdent(t.name)} (LIKE public.${quoteIdent(t.name)} INCLUDING ALL)`);
    }
    const started = performance.now();
    await client.query('BEGIN');
    const measures: TableMeasure[] = [];
    for (const t of tables) {
      const path = join(args.dumpDir, `${t.name}.copy`);
      const bytes = (await stat(path)).size;
      const t0 = performance.now();
      const copy = client.query(copyFrom(`COPY ${schema}.${quoteIdent(t.name)} (${t.columns.map(quoteIdent).join(', ')}) FROM STDIN`));
      await pipeline(createReadStream(path, { highWaterMark: 1 << 16 }), copy);
      measures.push({ table: t.name, rows: copy.rowCount, bytes, ms: performance.now() - t0 });
    }
    await client.query('COMMIT');
    const ms = performance.now() - started;
    return total(ms, measures);
  } finally {
    // Leave the target as it was: the scratch schema goes, the real tables are emptied.
    if (args.mode === 'like') await client.query('DROP SCHEMA IF EXISTS bench_scratch CASCADE').catch(() => undefined);
    else await client.query(`TRUNCATE ${tables.map((t) => `public.${quoteIdent(t.name)}`).join(', ')} CASCADE`).catch(() => undefined);
    client.release();
    await pool.end();
  }
}

async function exportOp(args: ExportArgs): Promise<WorkerResult> {
  const tables = await benchTables();
  const pool = benchPool(args.url, 2);
  try {
    await pool.query('SELECT 1');
    const request: ExportRequest = { scope: 'tenant', tenantId: args.tenantId, format: args.format, compress: args.compress };
    // The app's client is warm (its start-up check resolved the credentials and opened a connection): so is the bench's.
    const storage = args.s3 && args.out ? await benchStorage(args.s3) : null;
    const stored = storage ? storage.createWriter('jobs', args.out!) : null;
    const output = stored ? stored.stream : args.out ? createWriteStream(args.out) : nullSink();
    const started = performance.now();
    const outcome = await exportBundle(pool, normaliseExport(request), output, { tables });
    const written = performance.now();
    await stored?.done(); // the multipart upload completes: part of the measured time
    const ms = performance.now() - started;
    const rows = Object.values(outcome.summary.rowCounts).reduce((a, b) => a + b, 0);
    const detail = {
      rowCounts: outcome.summary.rowCounts,
      engineMs: outcome.durationMs,
      ...(stored ? { uploadTailMs: Math.round(performance.now() - written) } : {}),
    };
    return { ok: true, ms, rows, bytes: outcome.bytes, maxRssKiB: 0, detail };
  } finally {
    await pool.end();
  }
}

async function importOp(args: ImportArgs): Promise<WorkerResult> {
  // Loaded here, not at the top: the other ops' RSS should not carry the import engine's modules.
  const { importBundle } = await import('../transfer/import/import-engine.js');
  const { normaliseImport } = await import('../transfer/import/import-selection.js');
  await benchTables();
  const pool = benchPool(args.url, 4);
  try {
    await pool.query('SELECT 1');
    const source = args.s3 ? await benchSource(await benchStorage(args.s3), args.file) : null;
    const bytes = source ? await source.size() : (await stat(args.file)).size;
    const started = performance.now();
    // No-op pre-import backup: its cost is that of the compressed SQL export of the tenant (measured above).
    const outcome = await importBundle(
      pool,
      source ?? args.file,
      { ...normaliseImport({ scope: 'tenant', strategy: args.strategy, dryRun: args.dryRun }), actor: { role: 'system_admin', tenantId: null } },
      { preImportBackup: () => Promise.resolve({ backupId: 'bench-noop' }), tables: await benchTables() },
    );
    const ms = performance.now() - started;
    const plan = outcome.report.plan;
    const sum = (key: 'insert' | 'update' | 'unchanged' | 'delete' | 'skip') => plan.reduce((n, p) => n + p[key], 0);
    const detail = {
      applied: outcome.report.applied,
      phaseMs: outcome.stats.phaseMs,
      referenceChecks: outcome.stats.referenceChecks,
      perRowReason: outcome.stats.perRowReason,
      plan: { insert: sum('insert'), update: sum('update'), unchanged: sum('unchanged'), delete: sum('delete'), skip: sum('skip') },
      errors: outcome.report.errors.slice(0, 3),
    };
    if (outcome.failure)
      return { ok: false, ms, rows: outcome.stats.rowsRead, bytes, maxRssKiB: 0, error: `${outcome.failure.code}: ${outcome.failure.message}`, detail };
    return { ok: true, ms, rows: outcome.stats.rowsRead, bytes, maxRssKiB: 0, detail };
  } finally {
    await pool.end();
  }
}

function total(ms: number, measures: TableMeasure[]): WorkerResult {
  return {
    ok: true,
    ms,
    rows: measures.reduce((n, m) => n + m.rows, 0),
    bytes: measures.reduce((n, m) => n + m.bytes, 0),
    maxRssKiB: 0,
    tables: measures,
  };
}

async function main(): Promise<void> {
  const [op, json] = process.argv.slice(2);
  const args = JSON.parse(json ?? '{}') as never;
  await reportWorkerResult(() => {
    switch (op) {
      case 'copy-out':
        return copyOut(args);
      case 'copy-in':
        return copyIn(args);
      case 'export':
        return exportOp(args);
      case 'import':
        return importOp(args);
      default:
        throw new Error(`unknown op ${op}: copy-out, copy-in, export or import`);
    }
  });
}

void main().then(() => process.exit(0));
