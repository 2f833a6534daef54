import type { Writable } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { BUNDLE_SESSION_SETTINGS, quoteIdent as q } from '../bundle/index.js';
import { writeWithBackPressure } from '../formats/sink.js';
import { UNIQUE_KEYS } from '../import/rules.js';
import type { TableSpec } from '../table-graph.js';

/**
 * A change set (docs/undo.md): the pre-image of exactly the rows one write changes, recorded
 * inside that write's transaction, and written as a gzip SQL script that `psql -v ON_ERROR_STOP=1`
 * runs without the application. The script puts the pre-images back (updated and deleted rows)
 * and deletes the inserted ids, in one transaction, and first refuses when a row it would touch
 * has changed since (a digest of each row as the write left it).
 *
 * Capture, for the tables that change: `captureBefore` (ids and pre-images, before the writes),
 * `captureAfter` (each row's digest after them), then `writeChangeSetScript`. The undo engine
 * reads the same script back (undo-engine.ts): one definition of what undoing means.
 */
export const CHANGE_SET_VERSION = 1;

/** The capture's own temporary tables (the undo engine captures while a script's are loaded). */
const capIds = (table: string) => q(`rythm_cap_ids_${table}`);
const capPre = (table: string) => q(`rythm_cap_pre_${table}`);
const capKeys = (table: string) => q(`rythm_cap_keys_${table}`);
/** The tables a change-set script loads. */
export const scriptPre = (table: string) => q(`rythm_cs_pre_${table}`);
export const scriptKeys = (table: string) => q(`rythm_cs_keys_${table}`);

/** The digest of a row as PostgreSQL prints it under the bundle session settings. */
export const rowDigest = (alias: string) => `md5(${alias}::text)`;

/**
 * Per table, SQL listing the ids (column "id") a write will touch, each id once: `existing`, the
 * rows that may be there before it (their pre-images are kept), and `created`, rows it inserts that
 * cannot be (no pre-image to look for: at 1M inserted rows that lookup was a second join).
 * null: the table is not touched.
 */
export type ChangedIds = (spec: TableSpec) => { existing: string | null; created?: string | null } | null;

export interface ChangeSetMeta {
  /** The job whose writes the change set undoes. */
  jobId: string;
  scope: 'tenant' | 'global' | 'full';
  tenantId: string | null;
  /** The lock the script takes (lockSql of tenant-lock.ts), so a psql run never races an import. */
  lockSql: string;
  createdAt: string;
}

export interface ChangeSetSummary {
  /** Rows recorded per table (only tables with at least one). */
  rowCounts: Record<string, number>;
}

/** Writes a change set inside the caller's transaction; `discard` removes it when that transaction does not commit. */
export type SaveChangeSet = (
  client: pg.ClientBase,
  meta: Pick<ChangeSetMeta, 'scope' | 'tenantId'>,
  write: (output: Writable) => Promise<ChangeSetSummary>,
) => Promise<{ backupId: string; discard: () => Promise<void> }>;

/** The tables a capture holds, with the rows recorded in each (only tables with at least one). */
export type Captured = Record<string, number>;

/** Records ids and pre-images; call inside the write's transaction, before it writes. */
export async function captureBefore(client: pg.ClientBase, tables: TableSpec[], idsOf: ChangedIds): Promise<Captured> {
  const captured: Captured = {};
  for (const spec of tables) {
    const ids = idsOf(spec);
    if (ids === null) continue;
    await client.query(`DROP TABLE IF EXISTS ${capIds(spec.name)}, ${capPre(spec.name)}, ${capKeys(spec.name)}`);
    // Each list is run once; "existed" says which ids get a pre-image.
    const parts = [
      ids.existing ? `SELECT "id", true AS "existed" FROM (${ids.existing}) e` : null,
      ids.created ? `SELECT "id", false AS "existed" FROM (${ids.created}) c` : null,
    ].filter((sql): sql is string => sql !== null);
    if (parts.length === 0) continue;
    const { rowCount } = await client.query(`CREATE TEMP TABLE ${capIds(spec.name)} AS ${parts.join(' UNION ALL ')}`);
    if (!rowCount) continue;
    // Unique: the callers list each id once, and an id listed twice fails here rather than recording it twice.
    await client.query(`CREATE UNIQUE INDEX ON ${capIds(spec.name)} ("id")`);
    await client.query(
      `CREATE TEMP TABLE ${capPre(spec.name)} AS SELECT ${columnList(spec, 'd')} FROM ${q(spec.name)} d JOIN ${capIds(spec.name)} i ON i."id" = d."id" AND i."existed"`,
    );
    captured[spec.name] = rowCount;
  }
  return captured;
}

/** Records the digest of every captured row as the write left it (null: the row is gone). */
export async function captureAfter(client: pg.ClientBase, tables: TableSpec[], captured: Captured): Promise<void> {
  for (const spec of tables) {
    if (captured[spec.name] === undefined) continue;
    await client.query(
      `CREATE TEMP TABLE ${capKeys(spec.name)} AS SELECT i."id", ${rowDigest('d')} AS "expected" FROM ${capIds(spec.name)} i LEFT JOIN ${q(spec.name)} d ON d."id" = i."id"`,
    );
  }
}

/**
 * Writes the script (uncompressed; the caller compresses and hashes). One statement per line and
 * `-- rythm:<section>` markers, so that the undo engine can run it section by section.
 */
export async function writeChangeSetScript(
  client: pg.ClientBase,
  tables: TableSpec[],
  captured: Captured,
  meta: ChangeSetMeta,
  output: Writable,
  signal?: AbortSignal,
): Promise<ChangeSetSummary> {
  const present = tables.filter((t) => captured[t.name] !== undefined);
  // Every captured id has its key row: the counts are the capture's.
  const rowCounts: Record<string, number> = Object.fromEntries(present.map((t) => [t.name, captured[t.name]]));
  const write = (text: string) => writeWithBackPressure(output, text, signal);
  const header = { version: CHANGE_SET_VERSION, ...meta, tables: rowCounts };
  await write(
    [
      `-- RYTHM Data change set: the inverse of job ${meta.jobId}, written ${meta.createdAt}.`,
      `-- It puts back the rows that job updated or deleted and deletes the rows it inserted, in one transaction,`,
      `-- and refuses when one of them has changed since. To run it without the application:`,
      `--   gunzip -c FILE | psql -v ON_ERROR_STOP=1 -d DATABASE`,
      `-- and to overwrite rows changed since: PGOPTIONS='-c rythm.undo_force=on' before psql.`,
      `-- rythm:change-set ${JSON.stringify(header)}`,
      `\\set ON_ERROR_STOP on`,
      'BEGIN;',
      '-- rythm:settings',
      `${Object.entries(BUNDLE_SESSION_SETTINGS)
        .map(([name, value]) => `SET LOCAL ${name} = '${value}'`)
        .join('; ')}; SET LOCAL rythm.preserve_timestamps = 'on';`,
      '-- rythm:lock',
      `${meta.lockSql};`,
      '-- rythm:load',
      '',
    ].join('\n'),
  );
  for (const spec of present) {
    await write(`CREATE TEMP TABLE ${scriptPre(spec.name)} ON COMMIT DROP AS SELECT ${columnList(spec)} FROM ${q(spec.name)} WITH NO DATA;\n`);
    await write(`COPY ${scriptPre(spec.name)} (${columnList(spec)}) FROM stdin;\n`);
    await copyOut(client, `COPY (SELECT ${columnList(spec)} FROM ${capPre(spec.name)}) TO STDOUT`, output, signal);
    await write('\\.\n');
    await write(`CREATE TEMP TABLE ${scriptKeys(spec.name)} ("id" uuid PRIMARY KEY, "expected" text) ON COMMIT DROP;\n`);
    await write(`COPY ${scriptKeys(spec.name)} ("id", "expected") FROM stdin;\n`);
    await copyOut(client, `COPY (SELECT "id", "expected" FROM ${capKeys(spec.name)}) TO STDOUT`, output, signal);
    await write('\\.\n');
  }
  const names = present.map((t) => t.name);
  await write(`-- rythm:check\n${checkStatement(tables, names)}\n-- rythm:restore\n`);
  for (const statement of restoreStatements(tables, names)) await write(`${statement}\n`);
  await write('-- rythm:end\nCOMMIT;\n');
  return { rowCounts };
}

async function copyOut(client: pg.ClientBase, sql: string, output: Writable, signal?: AbortSignal): Promise<void> {
  for await (const chunk of client.query(copyTo(sql))) await writeWithBackPressure(output, chunk as Buffer, signal);
}

function columnList(spec: TableSpec, alias?: string): string {
  return spec.columns.map((c) => (alias ? `${alias}.${q(c.name)}` : q(c.name))).join(', ');
}

/**
 * SQL listing what makes an undo unsafe, as rows ("table", "row_id", "reason"): a row whose digest
 * differs from the one recorded (changed, deleted or created since), and a row the change set does
 * not hold that references one it deletes (the delete would break, or take, someone's work).
 */
export function conflictQueries(tables: TableSpec[], present: string[]): string[] {
  const queries: string[] = [];
  for (const spec of tables) {
    if (!present.includes(spec.name)) continue;
    queries.push(
      `SELECT '${spec.name}'::text AS "table", k."id"::text AS "row_id",
         CASE WHEN d."id" IS NULL THEN 'deleted' WHEN k."expected" IS NULL THEN 'created' ELSE 'changed' END AS "reason", NULL::text AS "detail"
         FROM ${scriptKeys(spec.name)} k LEFT JOIN ${q(spec.name)} d ON d."id" = k."id" WHERE ${rowDigest('d')} IS DISTINCT FROM k."expected"`,
    );
  }
  for (const child of tables) {
    for (const fk of child.foreignKeys) {
      if (!present.includes(fk.references)) continue;
      const own = present.includes(child.name) ? `AND NOT EXISTS (SELECT 1 FROM ${scriptKeys(child.name)} kc WHERE kc."id" = c."id")` : '';
      queries.push(
        `SELECT '${child.name}'::text, c."id"::text, 'references', '${fk.column} → ${fk.references} ' || k."id"::text
           FROM ${q(child.name)} c JOIN ${scriptKeys(fk.references)} k ON k."id" = c.${q(fk.column)}
          WHERE NOT EXISTS (SELECT 1 FROM ${scriptPre(fk.references)} p WHERE p."id" = k."id") ${own}`,
      );
    }
  }
  return queries;
}

/** psql's guard: the first conflicts, by name, unless rythm.undo_force is on (the engine checks itself). */
function checkStatement(tables: TableSpec[], present: string[]): string {
  const queries = conflictQueries(tables, present);
  if (queries.length === 0) return 'SELECT 1;';
  const union = queries.map((sql) => sql.replace(/\s+/g, ' ')).join(' UNION ALL ');
  return (
    `DO $rythm$ DECLARE found text; BEGIN ` +
    `SELECT string_agg(c."table" || ' ' || c."row_id" || ' (' || c."reason" || coalesce(': ' || c."detail", '') || ')', ', ') INTO found ` +
    `FROM (SELECT * FROM (${union}) a WHERE a."reason" = 'references' OR coalesce(current_setting('rythm.undo_force', true), '') <> 'on' LIMIT 20) c; ` +
    `IF found IS NOT NULL THEN RAISE EXCEPTION 'RYTHM Data: rows changed since the change set was written: %. Nothing was changed.', found ` +
    `USING HINT = 'Rows marked "references" block the undo; the others are overwritten with PGOPTIONS=''-c rythm.undo_force=on''.'; END IF; END $rythm$;`
  );
}

/**
 * The undo itself, for the tables present, each statement on one line:
 * 1. the unique keys of every row it touches get a placeholder, so that restored and current
 *    values never collide half-way (two rows trading an email, a deleted row's slug reused);
 * 2. parents first, every pre-image is put back (updated rows overwritten, deleted ones inserted);
 * 3. children first, the rows that were inserted are deleted.
 * Every row then equals its pre-image or is gone, and every reference points at a row that exists.
 */
export function restoreStatements(tables: TableSpec[], present: string[]): string[] {
  const statements: string[] = [];
  const ordered = tables.filter((t) => present.includes(t.name));
  for (const spec of ordered) {
    const parked = new Set(UNIQUE_KEYS.filter((k) => k.table === spec.name).map((k) => k.columns[k.columns.length - 1]));
    for (const column of parked) {
      statements.push(`UPDATE ${q(spec.name)} d SET ${q(column)} = '~rythm-undo~' || d."id"::text FROM ${scriptKeys(spec.name)} k WHERE d."id" = k."id";`);
    }
  }
  for (const spec of ordered) {
    const columns = columnList(spec);
    const assignments = spec.columns.filter((c) => c.name !== 'id').map((c) => `${q(c.name)} = EXCLUDED.${q(c.name)}`);
    const onConflict = assignments.length > 0 ? `DO UPDATE SET ${assignments.join(', ')}` : 'DO NOTHING';
    statements.push(`INSERT INTO ${q(spec.name)} (${columns}) SELECT ${columns} FROM ${scriptPre(spec.name)} ON CONFLICT ("id") ${onConflict};`);
  }
  for (const spec of [...ordered].reverse()) {
    statements.push(
      `DELETE FROM ${q(spec.name)} d USING ${scriptKeys(spec.name)} k WHERE d."id" = k."id" AND NOT EXISTS (SELECT 1 FROM ${scriptPre(spec.name)} p WHERE p."id" = k."id");`,
    );
  }
  return statements;
}
