import { type ImportContext, isGlobalRow, q, stagedByName } from './import-context.js';
import { PlanMismatch } from './import-types.js';
import type { StagedTable } from './staging.js';

/**
 * Writing without the per-row foreign-key triggers. validate.ts has already checked every
 * reference of the bundle set-wise, inside the import transaction; the triggers would check each
 * one again, row by row (at 1M sets, two thirds of a replace import's time). Like
 * `pg_restore --disable-triggers`, the updates and inserts then run with
 * `session_replication_role = replica`, but only when that is as safe as the triggers:
 *
 * - the role may set it (a superuser, or `GRANT SET ON PARAMETER` on PostgreSQL 15+);
 * - the staged tables carry no triggers but single-column foreign keys that validate.ts checks
 *   (the same column and table as the table graph) and the updated_at trigger, which an import
 *   turns off anyway (`rythm.preserve_timestamps`);
 * - before a table's rows are written, the rows they reference outside the import are locked
 *   FOR KEY SHARE, as the triggers would lock them, so that no other transaction deletes one
 *   before the import commits (one that already did makes the import a conflict, rolled back).
 *
 * Deletes always run with the triggers: they keep a concurrent insert from orphaning a row.
 * When any condition fails, every write runs with its triggers, as PostgreSQL does by default.
 */
export type ReferenceChecks = 'set-based' | 'per-row';

/** The trigger functions an import may skip besides the foreign keys': see the migrations. */
const SKIPPABLE_FUNCTIONS = new Set(['rythm_touch_updated_at']);

interface TriggerRow {
  table: string;
  trigger: string;
  function: string;
  contype: string | null;
  /** The constraint sits on this table (the referencing side) rather than on the referenced one. */
  child_side: boolean;
  columns: string[] | null;
  referenced: string | null;
}

/** Why per-row checks must stay, or null when the triggers may be skipped. */
export async function rowTriggersNeeded(context: ImportContext): Promise<string | null> {
  const { rows } = await context.client.query<TriggerRow>(
    `SELECT c.relname::text AS "table", t.tgname::text AS "trigger", p.proname::text AS "function", con.contype,
            con.conrelid = t.tgrelid AS child_side,
            (SELECT array_agg(a.attname::text ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = con.conrelid AND a.attnum = ANY (con.conkey)) AS columns,
            (SELECT r.relname::text FROM pg_class r WHERE r.oid = con.confrelid) AS referenced
       FROM pg_trigger t
       JOIN pg_class c ON c.oid = t.tgrelid
       JOIN pg_proc p ON p.oid = t.tgfoid
       LEFT JOIN pg_constraint con ON con.oid = t.tgconstraint
      WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY ($1) AND t.tgenabled <> 'D'`,
    [context.staged.map((t) => t.spec.name)],
  );
  const known = new Set(context.allTables.map((t) => t.name));
  for (const row of rows) {
    if (row.contype === 'f') {
      if (!row.child_side) continue; // the referenced side acts on deletes and key changes, which stay checked
      const spec = context.allTables.find((t) => t.name === row.table);
      const column = row.columns?.length === 1 ? row.columns[0] : null;
      const checked =
        column !== null && known.has(row.referenced ?? '') && spec?.foreignKeys.some((fk) => fk.column === column && fk.references === row.referenced);
      if (!checked) return `${row.table} has a foreign key (${row.trigger}) that the import's own checks do not cover`;
      continue;
    }
    if (!SKIPPABLE_FUNCTIONS.has(row.function)) return `${row.table} has the trigger ${row.trigger}, which must run on every row`;
  }
  return null;
}

/**
 * Locks the rows that `table`'s written rows reference and did not come in with this import,
 * FOR KEY SHARE (what the foreign-key trigger does for each row), and checks that all still exist.
 */
export async function lockReferencedRows(context: ImportContext, table: StagedTable): Promise<void> {
  for (const fk of table.spec.foreignKeys) {
    if (!table.columns.some((c) => c.name === fk.column)) continue;
    const parentStage = stagedByName(context, fk.references);
    const parentSpec = context.allTables.find((t) => t.name === fk.references)!;
    const col = q(fk.column);
    // A row this import inserted is invisible to everyone else until commit, except global rows a
    // tenant import adds (another import may have added the same one first): those are locked too.
    const ours = parentStage
      ? `AND NOT EXISTS (SELECT 1 FROM ${parentStage.stage} ps WHERE ps."id" = c.${col} AND ps."_action" = 'insert'${
          context.scope === 'tenant' ? ` AND NOT (${isGlobalRow(parentSpec, 'ps')})` : ''
        })`
      : '';
    const { rows } = await context.client.query<{ wanted: string; locked: string }>(
      `WITH refs AS (
         SELECT DISTINCT c.${col} AS "id" FROM ${table.stage} c WHERE c."_action" IN ('insert', 'update') AND c.${col} IS NOT NULL ${ours}),
       locked AS (SELECT p."id" FROM ${q(fk.references)} p WHERE p."id" IN (SELECT "id" FROM refs) FOR KEY SHARE OF p)
       SELECT (SELECT count(*) FROM refs) AS wanted, (SELECT count(*) FROM locked) AS locked`,
    );
    const wanted = Number(rows[0].wanted);
    const locked = Number(rows[0].locked);
    if (locked !== wanted) {
      throw new PlanMismatch(
        `${table.spec.name}.${fk.column}: ${wanted - locked} of the ${fk.references} rows it references were deleted by another transaction after validation; rolled back`,
      );
    }
  }
}

/** Turns the row triggers off for the rest of the transaction (SET LOCAL ends with it), if the role may; false if not. */
export async function skipRowTriggers(context: ImportContext): Promise<boolean> {
  await context.client.query('SAVEPOINT rythm_replica');
  try {
    await context.client.query(`SET LOCAL session_replication_role = replica`);
    await context.client.query('RELEASE SAVEPOINT rythm_replica');
    return true;
  } catch (error) {
    if ((error as { code?: string }).code !== '42501') throw error;
    await context.client.query('ROLLBACK TO SAVEPOINT rythm_replica');
    return false;
  }
}
