import type { JobProgress, TablePlan } from '../../shared/api-types.js';
import { hasColumn, type ImportContext, isGlobalRow, q } from './import-context.js';
import type { StagedTable } from './staging.js';
import { deleteName } from './plan.js';
import { UNIQUE_KEYS } from './rules.js';
import { PlanMismatch } from './import-types.js';
import { lockReferencedRows, type ReferenceChecks, rowTriggersNeeded, skipRowTriggers } from './row-triggers.js';

/**
 * The writes, inside the import transaction: deletes children first (replace), then updates and
 * inserts parents first, exactly the rows the plan classified. Columns the bundle leaves out are
 * not touched on updates and take their defaults on inserts. Each statement's row count is held
 * against the plan: a difference rolls the whole import back. Updates and inserts skip the per-row
 * foreign-key triggers when that is safe (row-triggers.ts); the result says which way it went.
 */
export interface ApplyResult {
  referenceChecks: ReferenceChecks;
  /** Why the per-row checks ran, when they did. */
  perRowReason: string | null;
}

export async function applyPlan(
  context: ImportContext,
  plan: TablePlan[],
  onProgress?: (progress: JobProgress) => void,
  signal?: AbortSignal,
): Promise<ApplyResult> {
  const { client } = context;
  const planOf = (table: string) => plan.find((p) => p.table === table)!;
  const expect = (table: string, what: string, expected: number, actual: number | null) => {
    if ((actual ?? 0) !== expected)
      throw new PlanMismatch(`${table}: the plan said ${expected} rows to ${what}, the database ${what}d ${actual ?? 0}; rolled back`);
  };
  const total = plan.reduce((n, p) => n + p.insert + p.update + p.delete, 0);
  let done = 0;
  const progress = (table: string, rows: number) => {
    // A cancel between statements stops here; one during a statement cancels it (import-engine).
    signal?.throwIfAborted();
    done += rows;
    onProgress?.({ phase: 'applying', table, rowsDone: done, rowsTotal: total });
  };

  signal?.throwIfAborted();
  for (const table of [...context.staged].reverse()) {
    const expected = planOf(table.spec.name).delete;
    if (expected === 0) continue;
    const result = await client.query(`DELETE FROM ${q(table.spec.name)} d WHERE d."id" IN (SELECT "id" FROM ${deleteName(table.spec.name)})`);
    expect(table.spec.name, 'delete', expected, result.rowCount);
    progress(table.spec.name, expected);
  }

  let perRowReason = await rowTriggersNeeded(context);
  if (perRowReason === null && !(await skipRowTriggers(context))) perRowReason = 'this database role may not set session_replication_role';
  const setBased = perRowReason === null;
  for (const table of context.staged) {
    const target = q(table.spec.name);
    const entry = planOf(table.spec.name);
    const columns = table.columns.map((c) => q(c.name));
    const assignments = table.columns.filter((c) => c.name !== 'id').map((c) => `${q(c.name)} = s.${q(c.name)}`);
    if (setBased && entry.insert + entry.update > 0) await lockReferencedRows(context, table);
    if (entry.update > 0 && assignments.length > 0) {
      await parkChangingKeys(context, table);
      const result = await client.query(
        `UPDATE ${target} d SET ${assignments.join(', ')} FROM ${table.stage} s WHERE d."id" = s."id" AND s."_action" = 'update'`,
      );
      expect(table.spec.name, 'update', entry.update, result.rowCount);
    }
    if (entry.insert > 0) {
      const select = `SELECT ${columns.map((c) => `s.${c}`).join(', ')} FROM ${table.stage} s WHERE s."_action" = 'insert'`;
      if (context.scope === 'tenant' && (table.spec.ownership === 'global' || table.spec.ownership === 'shared')) {
        // Global rows a tenant import adds: another import may have added the same row meanwhile;
        // it is never overwritten, so an existing one is simply kept.
        const global = isGlobalRow(table.spec, 's');
        const owned = await client.query(`INSERT INTO ${target} (${columns.join(', ')}) ${select} AND NOT (${global})`);
        const shared = await client.query(`INSERT INTO ${target} (${columns.join(', ')}) ${select} AND ${global} ON CONFLICT ("id") DO NOTHING`);
        if ((owned.rowCount ?? 0) + (shared.rowCount ?? 0) > entry.insert)
          expect(table.spec.name, 'insert', entry.insert, (owned.rowCount ?? 0) + (shared.rowCount ?? 0));
      } else {
        const result = await client.query(`INSERT INTO ${target} (${columns.join(', ')}) ${select}`);
        expect(table.spec.name, 'insert', entry.insert, result.rowCount);
      }
    }
    progress(table.spec.name, entry.insert + entry.update);
  }
  return { referenceChecks: setBased ? 'set-based' : 'per-row', perRowReason };
}

/**
 * Unique indexes are checked row by row as an UPDATE goes, so rows that trade key values (two
 * users swapping emails) would collide half-way although the end state, which validation
 * checked, is fine. The rows whose key changes first get a placeholder that no real value has.
 */
async function parkChangingKeys(context: ImportContext, table: StagedTable): Promise<void> {
  for (const key of UNIQUE_KEYS) {
    if (key.table !== table.spec.name || !key.columns.every((c) => hasColumn(table, c))) continue;
    const parked = q(key.columns[key.columns.length - 1]);
    const changed = key.columns.map((c) => `d.${q(c)} IS DISTINCT FROM s.${q(c)}`).join(' OR ');
    await context.client.query(
      `UPDATE ${q(table.spec.name)} d SET ${parked} = '~rythm-import~' || d."id"::text FROM ${table.stage} s
        WHERE d."id" = s."id" AND s."_action" = 'update' AND (${changed})`,
    );
  }
}
