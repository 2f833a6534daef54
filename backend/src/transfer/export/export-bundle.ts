import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { TransferError } from '../errors.js';
import type { BundleManifest, JobProgress } from '../../shared/api-types.js';
import { compresses } from '../../shared/export-options.js';
import { buildManifest, buildSummary, type BundleSummary } from '../bundle/manifest.js';
import { applyBundleSessionSettings } from '../bundle/session-settings.js';
import type { TableSpec } from '../table-graph.js';
import { createBundleWriter } from '../formats/bundle-writers.js';
import { estimateSql, manifestOptions, planExport } from './export-plan.js';
import { planRows, ProgressTotals } from './progress-totals.js';
import type { ExportSelection } from './export-selection.js';

export interface ExportBundleOptions {
  /** The RYTHM tables in export order: `domainTables(dataSource)`. */
  tables: TableSpec[];
  /** Abort to cancel: the export stops, its streams are destroyed, the promise rejects. */
  signal?: AbortSignal;
  /** Called at each table start and end, and at most every `progressIntervalMs` in between. */
  onProgress?(progress: JobProgress): void;
  progressIntervalMs?: number;
  /**
   * Give progress a row total (default true): the planner's estimates, each replaced by the real
   * count once its table is written (progress-totals.ts). No counting pass: it read every row
   * twice for a progress bar.
   */
  countRows?: boolean;
  /** Fixed clock for the manifest (tests). */
  now?: Date;
}

export interface ExportOutcome {
  manifest: BundleManifest;
  summary: BundleSummary;
  /** Size of what went to `output` (after compression). */
  bytes: number;
  durationMs: number;
  tenant: { id: string; slug: string } | null;
}

/** Just enough of pg.Pool: a client per export, released (or destroyed after an error) at the end. */
export interface PgClientSource {
  connect(): Promise<pg.PoolClient>;
}

/**
 * Writes one bundle (docs/bundle-format.md) of the requested scope to `output`, which it ends.
 * Every table is read in one REPEATABLE READ READ ONLY transaction on one connection, so the
 * bundle is one snapshot (like pg_dump), streamed with COPY and back-pressure: memory does not
 * grow with the data. On error or cancel the output is destroyed; the caller deletes the file.
 *
 * The selection was checked once, when it was made (`normaliseExport`). Backups:
 * `exportBundle(pool, normaliseExport({ scope: 'tenant' | 'full', tenantId, format: 'sql', compress: true,
 * includeCredentials: true }), createWriteStream(path), { tables })`.
 */
export async function exportBundle(source: PgClientSource, selection: ExportSelection, output: Writable, options: ExportBundleOptions): Promise<ExportOutcome> {
  const started = Date.now();
  const { signal } = options;
  signal?.throwIfAborted();
  const writer = createBundleWriter(output, { format: selection.format, compress: compresses(selection), signal });
  let client: pg.PoolClient | null = null;
  let clientBroken = false;
  try {
    client = await source.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await applyBundleSessionSettings(client, { local: true });

    let tenant: { id: string; slug: string } | null = null;
    if (selection.tenantId) {
      const found = await client.query<{ id: string; slug: string }>('SELECT id, slug FROM tenants WHERE id = $1', [selection.tenantId]);
      if (found.rowCount === 0) throw new TransferError('NOT_FOUND', `tenant ${selection.tenantId} was not found`);
      tenant = found.rows[0];
    }

    const salt = randomBytes(16).toString('hex');
    const plan = planExport(options.tables, selection, salt);
    let totals: ProgressTotals | undefined;
    if (options.countRows !== false) {
      const estimates: number[] = [];
      for (const table of plan) estimates.push(planRows((await client.query<{ 'QUERY PLAN': unknown }>(estimateSql(table))).rows[0]?.['QUERY PLAN']));
      totals = new ProgressTotals(estimates);
    }

    const manifest = buildManifest({
      scope: selection.scope,
      options: manifestOptions(selection),
      tables: plan.map((t) => ({ name: t.spec.name, columns: t.columns.map((c) => c.spec.name) })),
      tenant,
      createdAt: options.now,
    });
    await writer.begin(manifest);

    const progress = progressReporter(options, totals);
    const rowCounts: Record<string, number> = {};
    let rowsBefore = 0;
    for (const [index, table] of plan.entries()) {
      signal?.throwIfAborted();
      progress.report(table.spec.name, index, rowsBefore, 0, true);
      const copy = client.query(copyTo(writer.copySql(table)));
      clientBroken = true; // until the COPY has finished, the connection is mid-protocol
      const seen = await writer.writeTable(table, index === plan.length - 1, abortable(copy, signal), (rows) =>
        progress.report(table.spec.name, index, rowsBefore, rows, false),
      );
      clientBroken = false;
      const rows = copy.rowCount;
      if (selection.format !== 'csv' && seen !== rows) throw new Error(`${table.spec.name}: wrote ${seen} rows but COPY reported ${rows}`);
      rowCounts[table.spec.name] = rows;
      totals?.settle(index, rows);
      progress.report(table.spec.name, index, rowsBefore, rows, true);
      rowsBefore += rows;
    }
    await client.query('COMMIT');

    const summary = buildSummary(manifest, rowCounts, writer.hasher.digest());
    await writer.end(summary);
    return { manifest, summary, bytes: writer.bytes(), durationMs: Date.now() - started, tenant };
  } catch (error) {
    writer.destroy(error instanceof Error ? error : new Error(String(error)));
    output.destroy();
    if (client && !clientBroken) {
      // Between statements the connection is sound: end the transaction and give it back.
      await client.query('ROLLBACK').catch(() => {
        clientBroken = true;
      });
    }
    throw signal?.aborted ? (signal.reason ?? error) : error;
  } finally {
    // A connection interrupted mid-COPY cannot be reused: releasing it with an error makes the pool drop it.
    client?.release(clientBroken ? new Error('export interrupted') : undefined);
  }
}

/** Iterates a COPY stream, stopping (and destroying it) as soon as the signal aborts. */
async function* abortable(stream: AsyncIterable<Buffer> & { destroy(error?: Error): void }, signal?: AbortSignal): AsyncIterable<Buffer> {
  const onAbort = () => stream.destroy(signal?.reason instanceof Error ? signal.reason : new Error('export cancelled'));
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      signal?.throwIfAborted();
      yield chunk;
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

function progressReporter(options: ExportBundleOptions, totals: ProgressTotals | undefined) {
  const interval = options.progressIntervalMs ?? 250;
  let last = 0;
  return {
    /** Table `index` has `rowsInTable` rows out; `rowsBefore` rows of the earlier tables are written. */
    report(table: string, index: number, rowsBefore: number, rowsInTable: number, force: boolean) {
      if (!options.onProgress) return;
      const now = Date.now();
      if (!force && now - last < interval) return;
      last = now;
      const rowsDone = rowsBefore + rowsInTable;
      options.onProgress({ phase: 'export', table, rowsDone, ...(totals ? { rowsTotal: totals.total(index, rowsInTable) } : {}) });
    },
  };
}
