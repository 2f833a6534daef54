import type { ExpectedPlan, FieldDiff, PlanChange, PowerChanges, TablePlan } from '../../shared/api-types.js';
import { hasColumn, hasTenantColumn, type ImportContext, inScope, q, stagedByName, writable } from './import-context.js';
import { IDMAP } from './clone.js';
import { stageName } from './staging.js';
import { deletesMissing } from './strategy.js';

/**
 * Plan: classifies every staged row against the database (insert, update, unchanged, skip) and
 * materialises the rows a replace deletes, so that the report and the apply step read the same
 * decisions. "Unchanged" means equal column by column on the bundle's columns (IS NOT DISTINCT
 * FROM), so a merge does not rewrite rows that did not change.
 */
export const deleteName = (table: string) => q(`imp_del_${table}`);
/** Enough rows per table for the console to page through, few enough for the job's result row. */
const SAMPLE_DIFF_ROWS = 25;
const MAX_SAMPLE_DIFFS = 1000;

export async function classify(context: ImportContext): Promise<void> {
  const { client } = context;
  for (const table of context.staged) {
    const target = q(table.spec.name);
    const compared = table.columns.filter((c) => c.name !== 'id').map((c) => q(c.name));
    const equal =
      compared.length === 0 ? 'TRUE' : `ROW(${compared.map((c) => `d.${c}`).join(', ')}) IS NOT DISTINCT FROM ROW(${compared.map((c) => `s.${c}`).join(', ')})`;
    const action = `CASE WHEN d."id" IS NULL THEN 'insert' WHEN ${equal} THEN 'unchanged' WHEN ${writable(context, table.spec, 's')} THEN 'update' ELSE 'skip' END`;
    // The database row's tenant rides along for the isolation check (validate.ts), saving a join.
    const dbTenant = hasTenantColumn(table.spec) ? `, d."tenant_id" AS "_db_tenant"` : '';
    // A clone's new ids need no look (a full join that finds nothing, at 1M rows 2–3 s).
    const found = table.freshIds
      ? false
      : (await client.query<{ any: boolean }>(`SELECT EXISTS (SELECT 1 FROM ${table.stage} s JOIN ${target} d ON d."id" = s."id") AS "any"`)).rows[0].any;
    if (!found) {
      // None of the rows exists (a new tenant, a clone's new ids): every one is an insert, and
      // d."tenant_id" would be null. The columns are added, which rewrites nothing.
      await client.query(
        `ALTER TABLE ${table.stage} ADD COLUMN "_action" text NOT NULL DEFAULT 'insert'${hasTenantColumn(table.spec) ? ', ADD COLUMN "_db_tenant" uuid' : ''}`,
      );
    } else {
      // A new table rather than an UPDATE: rewriting every staged row in place costs twice as much.
      const classified = q(`imp_classified_${table.spec.name}`);
      await client.query(
        `CREATE TEMP TABLE ${classified} AS SELECT ${table.columns.map((c) => `s.${q(c.name)}`).join(', ')}, ${action} AS "_action"${dbTenant}
           FROM ${table.stage} s LEFT JOIN ${target} d ON d."id" = s."id"`,
      );
      await client.query(`DROP TABLE ${table.stage}; ALTER TABLE ${classified} RENAME TO ${table.stage}`);
    }
    // A unique index when the ids are unique (nearly always): then validate.ts needs no scan for duplicates.
    await client.query('SAVEPOINT rythm_unique_ids');
    try {
      await client.query(`CREATE UNIQUE INDEX ON ${table.stage} ("id")`);
      await client.query('RELEASE SAVEPOINT rythm_unique_ids');
      table.duplicateIds = false;
    } catch (error) {
      if ((error as { code?: string }).code !== '23505') throw error;
      await client.query('ROLLBACK TO SAVEPOINT rythm_unique_ids');
      await client.query(`CREATE INDEX ON ${table.stage} ("id")`);
      table.duplicateIds = true;
    }
    await client.query(`ANALYZE ${table.stage}`);
    const deletes = deletesMissing(context.strategy)
      ? `${inScope(context, table.spec, 'd')} AND NOT EXISTS (SELECT 1 FROM ${table.stage} s WHERE s."id" = d."id")`
      : 'FALSE';
    await client.query(`DROP TABLE IF EXISTS ${deleteName(table.spec.name)}`);
    await client.query(`CREATE TEMP TABLE ${deleteName(table.spec.name)} AS SELECT d."id" FROM ${target} d WHERE ${deletes}`);
    await client.query(`CREATE UNIQUE INDEX ON ${deleteName(table.spec.name)} ("id")`);
  }
}

export async function planCounts(context: ImportContext): Promise<TablePlan[]> {
  const plans: TablePlan[] = [];
  for (const table of context.staged) {
    const { rows } = await context.client.query<{ action: string; n: string }>(
      `SELECT "_action" AS action, count(*) AS n FROM ${table.stage} GROUP BY 1
       UNION ALL SELECT 'delete', count(*) FROM ${deleteName(table.spec.name)}`,
    );
    const count = (action: string) => Number(rows.find((r) => r.action === action)?.n ?? 0);
    plans.push({
      table: table.spec.name,
      insert: count('insert'),
      update: count('update'),
      unchanged: count('unchanged'),
      delete: count('delete'),
      skip: count('skip'),
    });
  }
  return plans;
}

/** A few field-level before/after samples of the rows an import updates (credentials masked). */
export async function sampleDiffs(context: ImportContext, plan: TablePlan[]): Promise<FieldDiff[]> {
  const diffs: FieldDiff[] = [];
  for (const table of context.staged) {
    if (diffs.length >= MAX_SAMPLE_DIFFS) break;
    if (!plan.some((p) => p.table === table.spec.name && p.update > 0)) continue;
    const { rows } = await context.client.query<{ id: string; before: Record<string, unknown>; after: Record<string, unknown> }>(
      `SELECT s."id", to_jsonb(d) AS before, to_jsonb(s) AS after FROM ${stageName(table.spec.name)} s JOIN ${q(table.spec.name)} d ON d."id" = s."id"
        WHERE s."_action" = 'update' ORDER BY s."id" LIMIT ${SAMPLE_DIFF_ROWS}`,
    );
    const secret = new Set(table.spec.columns.filter((c) => c.policy === 'credential').map((c) => c.name));
    for (const row of rows) {
      for (const column of table.columns) {
        if (column.name === 'id') continue;
        const before = row.before[column.name] ?? null;
        const after = row.after[column.name] ?? null;
        if (JSON.stringify(before) === JSON.stringify(after)) continue;
        const masked = secret.has(column.name);
        diffs.push({ table: table.spec.name, rowId: row.id, field: column.name, before: masked ? '(hidden)' : before, after: masked ? '(hidden)' : after });
      }
    }
  }
  return diffs.slice(0, MAX_SAMPLE_DIFFS);
}

/**
 * What the plan writes that changes who may do what (trust.ts): password hashes it sets or
 * changes, and existing users whose role changes. Recorded in the report and the audit log.
 */
export async function countPowerChanges(context: ImportContext): Promise<PowerChanges> {
  const users = stagedByName(context, 'users');
  if (!users) return { credentialsWritten: 0, roleChanges: 0 };
  const credentials = hasColumn(users, 'password_hash')
    ? `count(*) FILTER (WHERE (s."_action" = 'insert' AND s."password_hash" IS NOT NULL) OR (s."_action" = 'update' AND s."password_hash" IS DISTINCT FROM d."password_hash"))`
    : '0';
  const roles = hasColumn(users, 'role') ? `count(*) FILTER (WHERE s."_action" = 'update' AND s."role" IS DISTINCT FROM d."role")` : '0';
  const { rows } = await context.client.query<{ credentials: string; roles: string }>(
    `SELECT ${credentials} AS credentials, ${roles} AS roles FROM ${users.stage} s LEFT JOIN "users" d ON d."id" = s."id"`,
  );
  return { credentialsWritten: Number(rows[0].credentials), roleChanges: Number(rows[0].roles) };
}

/**
 * A digest per table of what the plan does: each staged row's action and id and, for a row it
 * updates or skips, the database row as it is now; each row it deletes, likewise. Summed 64-bit
 * hashes (order-free, PostgreSQL 13 has no bit_xor) with the row count: a target that changed
 * between a dry run and its apply gives another digest. Unchanged rows are counted, not hashed
 * (at 1M sets hashing them made a dry run of a merge slower than the merge): such a row that
 * changes becomes an update, which moves the count, and an unchanged row that trades places
 * with an insert changes the hashed inserts.
 */
export async function planDigest(context: ImportContext, plan: TablePlan[]): Promise<Record<string, string>> {
  const digest: Record<string, string> = {};
  // A clone's ids are new on every run: its digest uses the ids as the bundle wrote them.
  const bundleId = context.clone ? `coalesce(m."old_id", s."id")` : `s."id"`;
  const idMap = context.clone ? `LEFT JOIN ${IDMAP} m ON m."new_id" = s."id"` : '';
  for (const table of context.staged) {
    const target = q(table.spec.name);
    // The unchanged rows as planCounts counted them, in the same transaction (no second scan).
    const unchanged = plan.find((p) => p.table === table.spec.name)?.unchanged ?? 0;
    const { rows } = await context.client.query<{ n: string; h: string | null }>(
      `SELECT count(*) AS n, sum(h)::text AS h FROM (
         SELECT hashtextextended(s."_action" || ':' || ${bundleId}::text || ':' || CASE WHEN s."_action" IN ('update', 'skip') THEN md5(d::text) ELSE '' END, 0)::numeric AS h
           FROM ${table.stage} s ${idMap} LEFT JOIN ${target} d ON s."_action" IN ('update', 'skip') AND d."id" = s."id"
          WHERE s."_action" <> 'unchanged'
         UNION ALL
         SELECT hashtextextended('delete:' || d."id"::text || ':' || md5(d::text), 0)::numeric
           FROM ${deleteName(table.spec.name)} x JOIN ${target} d ON d."id" = x."id") rows`,
    );
    digest[table.spec.name] = `${rows[0].n}:${rows[0].h ?? '0'}:${unchanged}`;
  }
  return digest;
}

/** The tables whose plan differs from the one expected (empty when the plan is the same). */
export function planChanges(expected: ExpectedPlan, digest: Record<string, string>, plan: TablePlan[]): PlanChange[] {
  const tables = new Set([...Object.keys(expected.digest), ...Object.keys(digest)]);
  const changes: PlanChange[] = [];
  for (const table of tables) {
    if (expected.digest[table] === digest[table]) continue;
    const after = plan.find((p) => p.table === table) ?? { table, insert: 0, update: 0, unchanged: 0, delete: 0, skip: 0 };
    changes.push({ table, before: expected.plan.find((p) => p.table === table) ?? null, after });
  }
  return changes;
}
