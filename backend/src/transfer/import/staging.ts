import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BundleManifest, ExportScope, JobProgress } from '../../shared/api-types.js';
import { UUID_ANY_CASE } from '../../shared/patterns.js';
import { quoteIdent } from '../bundle/index.js';
import { isCredentialColumn, type TableSpec } from '../table-graph.js';
import { CellError, type ColumnCodec, fromJsonValue, fromTextValue } from './column-codec.js';
import { type BundleError, BundleRejected, type ErrorList, reject } from './import-types.js';
import type { BundleReader, RawRow } from '../formats/reader-types.js';
import { whyNotStorable } from '../formats/exact-values.js';
import { composeUpgrade, type UpgradeStep, upgradeStepsFor } from './schema-upgrade.js';

/**
 * Parse → stage: streams the reader's rows through the per-column checks into temporary tables
 * with COPY FROM STDIN (one per bundle table, typed like the target), so that everything after
 * this runs as set-based SQL. Nothing here touches a real table.
 */
export interface StagedTable {
  spec: TableSpec;
  /** The bundle's columns (after any upgrade), in manifest order. */
  columns: ColumnCodec[];
  /** Quoted name of the temporary table. */
  stage: string;
  rows: number;
  /** Set by the classification (plan.ts): whether an id occurs more than once; unknown before. */
  duplicateIds?: boolean;
  /** Set by a clone's remap (clone.ts): every row has a new random id, so none is in the database. */
  freshIds?: boolean;
}

export interface StageResult {
  manifest: BundleManifest;
  /** In table-graph order (parents first), whatever the manifest order. */
  tables: StagedTable[];
  rowsRead: number;
}

export const stageName = (table: string) => quoteIdent(`imp_${table}`);
export const REJECTED = quoteIdent('imp_rejected');

interface StageContext {
  client: pg.ClientBase;
  reader: BundleReader;
  scope: ExportScope;
  tables: TableSpec[];
  codecs: Map<string, Map<string, ColumnCodec>>;
  errors: ErrorList;
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  upgradeSteps?: UpgradeStep[];
  currentSchema?: string;
  /** Columns of policy `credential` are refused (an org admin's upload: trust.ts). */
  refuseCredentials?: boolean;
}

/** Checks the manifest against this server: scope, schema version, tables, columns. */
export function planStaging(
  manifest: BundleManifest,
  context: Pick<StageContext, 'scope' | 'tables' | 'codecs' | 'upgradeSteps' | 'currentSchema' | 'refuseCredentials'>,
) {
  if (manifest.scope !== context.scope) {
    throw reject(`This is a ${manifest.scope}-scope bundle: import it with scope "${manifest.scope}", not "${context.scope}"`, { field: 'manifest.scope' });
  }
  const steps = upgradeStepsFor(manifest.schemaVersion, context.currentSchema, context.upgradeSteps);
  const upgrade = composeUpgrade(steps, manifest.tables);
  const problems: BundleError[] = [];
  const byName = new Map(context.tables.map((t) => [t.name, t]));
  const staged: StagedTable[] = [];
  for (const table of upgrade.tables) {
    const spec = byName.get(table.name);
    if (!spec) {
      problems.push({
        table: table.name.slice(0, 80),
        rowId: null,
        field: null,
        message: `unknown table "${table.name.slice(0, 80)}": this server has no such table (known: ${context.tables.map((t) => t.name).join(', ')})`,
      });
      continue;
    }
    if (context.scope === 'global' && spec.ownership !== 'global' && spec.ownership !== 'shared') {
      problems.push({
        table: table.name,
        rowId: null,
        field: null,
        message: `a global bundle holds only global data (equipment, exercises, exercise_templates); ${table.name} is tenant data`,
      });
      continue;
    }
    const codecs = context.codecs.get(spec.name)!;
    const columns: ColumnCodec[] = [];
    for (const name of table.columns) {
      const codec = codecs.get(name);
      if (!codec)
        problems.push({
          table: spec.name,
          rowId: null,
          field: name.slice(0, 80),
          message: `unknown column "${name.slice(0, 80)}": ${spec.name} has no such column (known: ${[...codecs.keys()].join(', ')})`,
        });
      else columns.push(codec);
      if (codec && context.refuseCredentials && isCredentialColumn(spec, name))
        problems.push({
          table: spec.name,
          rowId: null,
          field: name,
          message: `this bundle carries credentials (${spec.name}.${name}), which org admins may not import: export it again without credentials (the default), or remove the column from the bundle, or ask a system admin to import it`,
        });
    }
    for (const codec of codecs.values()) {
      const required =
        codec.name === 'id' ||
        (!codec.nullable && !codec.hasDefault) ||
        (spec.ownership !== 'global' && spec.ownership !== 'root' && codec.name === 'tenant_id');
      if (required && !table.columns.includes(codec.name)) {
        problems.push({ table: spec.name, rowId: null, field: codec.name, message: `the bundle leaves out ${spec.name}.${codec.name}, which is required` });
      }
    }
    staged.push({ spec, columns, stage: stageName(spec.name), rows: 0 });
  }
  if (context.scope === 'tenant' && !upgrade.tables.some((t) => byName.get(t.name)?.ownership === 'root')) {
    problems.push({ table: 'tenants', rowId: null, field: null, message: 'a tenant bundle must hold its tenant row (table tenants)' });
  }
  if (problems.length > 0) throw new BundleRejected(problems);
  const order = context.tables.map((t) => t.name);
  staged.sort((a, b) => order.indexOf(a.spec.name) - order.indexOf(b.spec.name));
  return { staged, upgradeRow: steps.length > 0 ? (upgrade.row ?? ((_: string, v: Record<string, unknown>) => v)) : null };
}

async function createStagingTables(client: pg.ClientBase, tables: StagedTable[]): Promise<void> {
  const ddl = tables.map((t) => `CREATE TEMP TABLE ${t.stage} (${t.columns.map((c) => `${quoteIdent(c.name)} ${c.sqlType}`).join(', ')})`);
  ddl.push(`CREATE TEMP TABLE ${REJECTED} (tbl text NOT NULL, id uuid NOT NULL)`);
  await client.query(ddl.join('; '));
}

/** Streams the bundle into the staging tables; row errors go to `errors`, fatal ones throw. */
export async function stageBundle(context: StageContext): Promise<StageResult> {
  const { client, reader, errors, signal } = context;
  const encode =
    reader.form === 'json'
      ? (codec: ColumnCodec, value: unknown) => fromJsonValue(codec, value)
      : (codec: ColumnCodec, value: unknown) => fromTextValue(codec, value as string | null, reader.form === 'csv');
  let manifest: BundleManifest | null = null;
  let plan: ReturnType<typeof planStaging> | null = null;
  const byName = new Map<string, StagedTable>();
  const readColumns = new Map<string, string[]>();
  const rejected: { tbl: string; id: string }[] = [];
  const open: { copy: { table: string; stream: ReturnType<typeof copyFrom> } | null } = { copy: null };
  let rowsRead = 0;

  const closeCopy = async () => {
    if (!open.copy) return;
    const { stream, table } = open.copy;
    open.copy = null;
    stream.end();
    try {
      await finished(stream);
    } catch (error) {
      throw stagingError(error, table);
    }
  };

  try {
    for await (const event of reader.events()) {
      signal?.throwIfAborted();
      if (event.kind === 'manifest') {
        manifest = event.manifest;
        plan = planStaging(manifest, context);
        for (const t of plan.staged) byName.set(t.spec.name, t);
        for (const t of manifest.tables) readColumns.set(t.name, t.columns);
        await createStagingTables(client, plan.staged);
        continue;
      }
      if (event.kind === 'end') {
        await closeCopy();
        checkSummary(event, manifest!);
        continue;
      }
      const table = byName.get(event.table)!;
      if (open.copy?.table !== table.spec.name) {
        await closeCopy();
        // 1 MB before back-pressure (16 kB by default): the reader keeps parsing while PostgreSQL
        // works through the last batches, instead of waiting for a drain after every one.
        const stream = client.query(
          copyFrom(`COPY ${table.stage} (${table.columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN`, { highWaterMark: COPY_BUFFER_BYTES }),
        );
        stream.on('error', () => undefined); // surfaced by write/finished below
        open.copy = { table: table.spec.name, stream };
      }
      const copy = open.copy;
      const text = encodeRows(event.rows, table, readColumns.get(event.table)!, plan!.upgradeRow, encode, errors, rejected);
      rowsRead += event.rows.length;
      table.rows += event.rows.length;
      if (text.length > 0 && !copy.stream.write(text)) {
        try {
          await once(copy.stream, 'drain', { signal });
        } catch (error) {
          throw signal?.aborted ? error : stagingError(error, table.spec.name);
        }
      }
      context.onProgress?.({ phase: 'reading', table: table.spec.name, rowsDone: rowsRead });
    }
  } catch (error) {
    open.copy?.stream.destroy();
    throw error;
  }
  if (!manifest || !plan) throw reject('The bundle has no manifest');
  for (let i = 0; i < rejected.length; i += 10_000) {
    const part = rejected.slice(i, i + 10_000);
    await client.query(`INSERT INTO ${REJECTED} (tbl, id) SELECT * FROM unnest($1::text[], $2::uuid[])`, [part.map((r) => r.tbl), part.map((r) => r.id)]);
  }
  // No ANALYZE here: the classification (plan.ts) rewrites each staging table and analyses the
  // result; until then the planner sizes them from their pages, enough for the one join it plans.
  await client.query(`CREATE INDEX ON ${REJECTED} (id)`);
  return { manifest, tables: plan.staged, rowsRead };
}

/** How much staged COPY text may wait in memory for PostgreSQL (per import: one table at a time). */
const COPY_BUFFER_BYTES = 1 << 20;

function encodeRows(
  rows: RawRow[],
  table: StagedTable,
  readColumns: string[],
  upgradeRow: ((table: string, values: Record<string, unknown>) => Record<string, unknown>) | null,
  encode: (codec: ColumnCodec, value: unknown) => string,
  errors: ErrorList,
  rejected: { tbl: string; id: string }[],
): string {
  const name = table.spec.name;
  const codecs = table.columns;
  const idIndex = codecs.findIndex((c) => c.name === 'id');
  let out = '';
  const fields: string[] = new Array(codecs.length);
  for (const row of rows) {
    let values = row.values;
    if (upgradeRow && !row.problem) {
      const upgraded = upgradeRow(name, Object.fromEntries(readColumns.map((c, i) => [c, values[i]])));
      values = codecs.map((c) => upgraded[c.name]);
    }
    const rawId = values[idIndex];
    const rowId = reportableId(rawId);
    if (row.problem) {
      errors.add({ table: name, rowId, field: row.problem.field, message: `${row.where}: ${row.problem.message}` });
      if (rowId && UUID_ANY_CASE.test(rowId)) rejected.push({ tbl: name, id: rowId });
      continue;
    }
    let bad = false;
    for (let i = 0; i < codecs.length; i++) {
      try {
        fields[i] = encode(codecs[i], values[i]);
      } catch (error) {
        if (!(error instanceof CellError)) throw error;
        errors.add({ table: name, rowId, field: codecs[i].name, message: `${row.where}: ${error.message}` });
        bad = true;
      }
    }
    if (bad) {
      if (rowId && UUID_ANY_CASE.test(rowId)) rejected.push({ tbl: name, id: rowId });
      continue;
    }
    out += `${fields.join('\t')}\n`;
  }
  return out;
}

/**
 * The id a report may name: cut to 80 characters without splitting a surrogate pair, and none at
 * all when it holds text the job's jsonb record cannot store (NUL, a lone surrogate).
 */
function reportableId(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const cut = raw.length > 80 && raw.charCodeAt(79) >= 0xd800 && raw.charCodeAt(79) <= 0xdbff ? raw.slice(0, 79) : raw.slice(0, 80);
  return whyNotStorable(cut) === null ? cut : null;
}

function checkSummary(
  event: { summary: { rowCounts: Record<string, number>; sha256: string }; sha256: string; rowCounts: Record<string, number> },
  manifest: BundleManifest,
): void {
  const problems: BundleError[] = [];
  for (const table of manifest.tables) {
    const expected = event.summary.rowCounts[table.name];
    const found = event.rowCounts[table.name] ?? 0;
    if (expected !== found) {
      problems.push({
        table: table.name,
        rowId: null,
        field: 'summary.rowCounts',
        message: `the summary says ${expected} rows of ${table.name}, the bundle holds ${found}`,
      });
    }
  }
  if (event.summary.sha256 !== event.sha256) {
    problems.push({
      table: null,
      rowId: null,
      field: 'summary.sha256',
      message: `the data does not match the summary's sha256 (expected ${event.summary.sha256}, computed ${event.sha256}): the bundle was changed or damaged after export`,
    });
  }
  if (problems.length > 0) throw new BundleRejected(problems);
}

/** PostgreSQL refusing a staged value is a bundle problem (class 22: data exceptions). */
function stagingError(error: unknown, table: string): unknown {
  const pgError = error as { code?: string; message?: string; where?: string };
  if (typeof pgError.code === 'string' && (pgError.code.startsWith('22') || pgError.code.startsWith('23'))) {
    return reject(`PostgreSQL refused a value of ${table}: ${pgError.message}${pgError.where ? ` (${pgError.where.replace(/imp_/g, '')})` : ''}`, { table });
  }
  return error;
}
