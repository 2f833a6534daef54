import type { BundleError } from '../../shared/api-types.js';
import type { TableSpec } from '../table-graph.js';
import { hasColumn, hasTenantColumn, type ImportContext, isGlobalRow, q, stagedByName, uuidLiteral, visible } from './import-context.js';
import { deleteName } from './plan.js';
import { ROW_RULES, UNIQUE_KEYS } from './rules.js';
import { REJECTED, type StagedTable } from './staging.js';
import { deletesMissing, STRATEGIES } from './strategy.js';
import { GUARDED_ROLE } from './trust.js';

/**
 * Set-based checks on the staged (and classified) rows, against the database as it is inside the
 * import transaction: duplicate ids, tenant isolation, global-data rules, business rules,
 * references, what a replace would orphan, unique keys after the import. Each query lists at
 * most the room left in the report and counts the rest.
 */
type Row = Record<string, unknown>;

async function collect(context: ImportContext, sql: string, toError: (row: Row) => BundleError): Promise<void> {
  const room = Math.max(1, context.errors.room);
  const { rows } = await context.client.query<Row>(`SELECT *, count(*) OVER () AS "_total" FROM (${sql}) checked LIMIT ${room}`);
  if (rows.length === 0) return;
  const listed = context.errors.room === 0 ? [] : rows.map(toError);
  context.errors.addCounted(listed, Number(rows[0]._total));
}

const str = (value: unknown): string | null => (value === null || value === undefined ? null : typeof value === 'string' ? value : JSON.stringify(value));

export async function validate(context: ImportContext): Promise<void> {
  // A request-level problem first: the row checks would only list its consequences.
  if (!checkReplaceBundle(context)) return;
  await checkDuplicates(context);
  await checkTenantRows(context);
  await checkIsolation(context);
  await checkGlobalRows(context);
  await checkRules(context);
  await checkRoleChanges(context);
  await checkReferences(context);
  await checkOrphans(context);
  await checkUniqueKeys(context);
}

async function checkDuplicates(context: ImportContext): Promise<void> {
  for (const table of context.staged) {
    if (table.duplicateIds === false) continue; // its unique index proves it
    await collect(context, `SELECT "id", count(*) AS n FROM ${table.stage} GROUP BY "id" HAVING count(*) > 1 ORDER BY "id"`, (r) => ({
      table: table.spec.name,
      rowId: str(r.id),
      field: 'id',
      message: `the id appears ${String(r.n)} times in ${table.spec.name}; ids must be unique`,
    }));
  }
}

/** Tenant scope: one tenant row, and every tenant-owned row belongs to it; global scope: no tenant rows. */
async function checkTenantRows(context: ImportContext): Promise<void> {
  if (context.scope === 'global') {
    for (const table of context.staged.filter((t) => t.spec.ownership === 'shared')) {
      await collect(context, `SELECT "id" FROM ${table.stage} WHERE "tenant_id" IS NOT NULL ORDER BY "id"`, (r) => ({
        table: table.spec.name,
        rowId: str(r.id),
        field: 'tenant_id',
        message: 'expected null: a global bundle holds only global rows',
      }));
    }
    return;
  }
  if (context.scope !== 'tenant' || !context.bundleTenantId) return;
  const tenant = uuidLiteral(context.bundleTenantId);
  for (const table of context.staged) {
    if (table.spec.ownership !== 'tenant' && table.spec.ownership !== 'shared') continue;
    const bad = table.spec.ownership === 'tenant' ? `"tenant_id" IS DISTINCT FROM ${tenant}` : `"tenant_id" IS NOT NULL AND "tenant_id" <> ${tenant}`;
    await collect(context, `SELECT "id", "tenant_id" FROM ${table.stage} WHERE ${bad} ORDER BY "id"`, (r) => ({
      table: table.spec.name,
      rowId: str(r.id),
      field: 'tenant_id',
      message: `expected ${context.clone ? 'the bundle tenant' : context.bundleTenantId}${table.spec.ownership === 'shared' ? ' or null (global)' : ''}, got ${str(r.tenant_id) ?? 'null'}: a tenant bundle holds one tenant's rows`,
    }));
  }
}

/** A row whose id exists under another tenant (or as global data) is an error, never an update. */
async function checkIsolation(context: ImportContext): Promise<void> {
  for (const table of context.staged) {
    if (!hasTenantColumn(table.spec)) continue;
    await collect(
      context,
      `SELECT s."id", s."tenant_id" AS bundle_tenant, s."_db_tenant" AS db_tenant FROM ${table.stage} s WHERE s."_action" <> 'insert' AND s."_db_tenant" IS DISTINCT FROM s."tenant_id" ORDER BY s."id"`,
      (r) => ({
        table: table.spec.name,
        rowId: str(r.id),
        field: 'id',
        message: !seesEverything(context)
          ? 'this id is already used in this database by a row outside this tenant; rows never move between tenants: give the row a new id'
          : r.db_tenant === null
            ? 'this id is global data in this database; a tenant row cannot take it over'
            : r.bundle_tenant === null
              ? "this id belongs to a tenant's data in this database; a global row cannot take it over"
              : 'this id already belongs to another tenant in this database; rows never move between tenants (import as a new tenant to load a copy)',
      }),
    );
  }
}

/** An org admin never writes global rows: the ones the bundle needs must exist already. */
async function checkGlobalRows(context: ImportContext): Promise<void> {
  if (context.scope !== 'tenant' || context.actorRole === 'system_admin') return;
  for (const table of context.staged) {
    if (table.spec.ownership !== 'global' && table.spec.ownership !== 'shared') continue;
    await collect(context, `SELECT s."id" FROM ${table.stage} s WHERE ${isGlobalRow(table.spec, 's')} AND s."_action" = 'insert' ORDER BY s."id"`, (r) => ({
      table: table.spec.name,
      rowId: str(r.id),
      field: 'id',
      message: `this global ${table.spec.name} row does not exist in this environment, and org admins cannot add global data: ask a system admin to import the global library (or this bundle) first`,
    }));
  }
}

/** One scan per table for all its rules: the rows breaking any, then one error per broken rule. */
async function checkRules(context: ImportContext): Promise<void> {
  for (const table of context.staged) {
    const rules = ROW_RULES.filter((rule) => rule.table === table.spec.name && rule.columns.every((c) => hasColumn(table, c)));
    if (rules.length === 0) continue;
    const broken = rules.map((rule) => `(${rule.bad})`);
    const cases = rules.map((rule, i) => `(${i}, ${broken[i]}, ${q(rule.field)}::text)`);
    await collect(
      context,
      `SELECT x."id", r.k AS rule, r.v AS value
         FROM (SELECT * FROM ${table.stage} WHERE ${broken.join(' OR ')}) x, LATERAL (VALUES ${cases.join(', ')}) r(k, broken, v)
        WHERE r.broken IS TRUE ORDER BY x."id", r.k`,
      (r) => {
        const rule = rules[Number(r.rule)];
        return { table: rule.table, rowId: str(r.id), field: rule.field, message: `${rule.message}, got ${str(r.value) ?? 'null'}` };
      },
    );
  }
}

/** Whether errors may describe rows outside the target tenant (system admins see every tenant). */
const seesEverything = (context: ImportContext) => context.actorRole === 'system_admin';

/**
 * An org admin's import may move users between athlete and coach, but never grants or takes away
 * org_admin, and a replace never deletes an org admin (trust.ts). A system admin inside a tenant
 * is refused for everyone by ROW_RULES.
 */
async function checkRoleChanges(context: ImportContext): Promise<void> {
  const users = stagedByName(context, 'users');
  if (!context.trust.limitedRoles || !users) return;
  const guarded = `'${GUARDED_ROLE}'`;
  if (hasColumn(users, 'role')) {
    await collect(
      context,
      `SELECT s."id", d."role" AS before, s."role" AS after FROM ${users.stage} s JOIN "users" d ON d."id" = s."id"
        WHERE s."_action" = 'update' AND d."role" IS DISTINCT FROM s."role" AND ${guarded} IN (d."role", s."role") ORDER BY s."id"`,
      (r) => ({
        table: 'users',
        rowId: str(r.id),
        field: 'role',
        message: `expected ${str(r.before)} (the user's current role): an org admin's import cannot change a role to or from ${GUARDED_ROLE}, got ${str(r.after)}; ask a system admin to change it`,
      }),
    );
  }
  if (deletesMissing(context.strategy)) {
    await collect(
      context,
      `SELECT x."id" FROM ${deleteName('users')} x JOIN "users" d ON d."id" = x."id" WHERE d."role" = ${guarded} ORDER BY x."id"`,
      (r) => ({
        table: 'users',
        rowId: str(r.id),
        field: 'id',
        message: `replace would delete this ${GUARDED_ROLE} (the bundle does not hold the row): an org admin's import cannot remove an org admin; add the row to the bundle, or ask a system admin`,
      }),
    );
  }
}

/** Every reference resolves to a visible row: in the bundle, or in the database and not deleted. */
async function checkReferences(context: ImportContext): Promise<void> {
  for (const child of context.staged) {
    for (const fk of child.spec.foreignKeys) {
      if (!hasColumn(child, fk.column)) continue;
      const parentSpec = context.allTables.find((t) => t.name === fk.references);
      if (!parentSpec) continue;
      const parentStaged = stagedByName(context, fk.references);
      const col = q(fk.column);
      const inBundle = parentStaged
        ? `EXISTS (SELECT 1 FROM ${parentStaged.stage} p WHERE p."id" = c.${col} AND ${visible(parentSpec, 'p', child.spec, 'c')})`
        : 'FALSE';
      const deleted = parentStaged ? `EXISTS (SELECT 1 FROM ${deleteName(fk.references)} x WHERE x."id" = d."id")` : 'FALSE';
      await collect(
        context,
        `SELECT c."id", c.${col} AS ref,
                CASE WHEN d."id" IS NULL THEN 'missing' WHEN NOT (${visible(parentSpec, 'd', child.spec, 'c')}) THEN 'foreign' ELSE 'deleted' END AS reason
           FROM ${child.stage} c LEFT JOIN ${q(fk.references)} d ON d."id" = c.${col}
          WHERE c.${col} IS NOT NULL
            AND NOT ${inBundle}
            AND NOT (d."id" IS NOT NULL AND ${visible(parentSpec, 'd', child.spec, 'c')} AND NOT ${deleted})
            AND NOT EXISTS (SELECT 1 FROM ${REJECTED} r WHERE r."id" = c.${col})
          ORDER BY c."id"`,
        (r) => ({
          table: child.spec.name,
          rowId: str(r.id),
          field: fk.column,
          message:
            // To an org admin, another tenant's row reads exactly like one that does not exist: no oracle.
            r.reason === 'foreign' && seesEverything(context)
              ? `references ${fk.references} ${str(r.ref)}, which belongs to another tenant: expected a row of this tenant or global data`
              : r.reason === 'deleted'
                ? `references ${fk.references} ${str(r.ref)}, which this replace would delete (it is not in the bundle)`
                : `references ${fk.references} ${str(r.ref)}, which is neither in the bundle nor in the database`,
        }),
      );
    }
  }
}

/** A row a replace deletes must not stay referenced by a row that stays (outside the bundle). */
async function checkOrphans(context: ImportContext): Promise<void> {
  if (!deletesMissing(context.strategy)) return;
  for (const parent of context.staged) {
    for (const childSpec of context.allTables) {
      for (const fk of childSpec.foreignKeys.filter((f) => f.references === parent.spec.name)) {
        const childStaged = stagedByName(context, childSpec.name);
        const stays = childStaged
          ? `AND NOT EXISTS (SELECT 1 FROM ${deleteName(childSpec.name)} y WHERE y."id" = d."id") AND NOT EXISTS (SELECT 1 FROM ${childStaged.stage} s WHERE s."id" = d."id")`
          : '';
        await collect(
          context,
          `SELECT x."id", d."id" AS child FROM ${deleteName(parent.spec.name)} x JOIN ${q(childSpec.name)} d ON d.${q(fk.column)} = x."id" WHERE TRUE ${stays} ORDER BY x."id", d."id"`,
          (r) => ({
            table: parent.spec.name,
            rowId: str(r.id),
            field: 'id',
            message: `replace would delete this row (it is not in the bundle), but ${childSpec.name} ${str(r.child)} outside the bundle still references it through ${fk.column}`,
          }),
        );
      }
    }
  }
}

/** Unique keys hold on the table as it would be after the import. */
async function checkUniqueKeys(context: ImportContext): Promise<void> {
  for (const key of UNIQUE_KEYS) {
    const table = stagedByName(context, key.table);
    const needed = [...key.columns, ...(key.whereColumns ?? [])];
    if (!table || !needed.every((c) => hasColumn(table, c))) continue;
    const cols = key.columns.map(q);
    const carried = [...new Set(needed)].map(q);
    const where = (alias: string) => (key.where ?? 'TRUE').replace(/"tenant_id"/g, `${alias}."tenant_id"`);
    const same = cols.map((c) => `o.${c} = f.${c}`).join(' AND ');
    await collect(
      context,
      `WITH final AS (
         SELECT s."id", ${carried.map((c) => `s.${c}`).join(', ')}, true AS staged FROM ${table.stage} s WHERE s."_action" <> 'skip'
         UNION ALL
         SELECT d."id", ${carried.map((c) => `d.${c}`).join(', ')}, false FROM ${q(key.table)} d
          WHERE NOT EXISTS (SELECT 1 FROM ${table.stage} s WHERE s."id" = d."id" AND s."_action" <> 'skip')
            AND NOT EXISTS (SELECT 1 FROM ${deleteName(key.table)} x WHERE x."id" = d."id"))
       SELECT f."id", ${key.columns.map((c, i) => `f.${cols[i]}::text AS k${i}`).join(', ')},
              (SELECT o."id" FROM final o WHERE ${same} AND ${where('o')} AND o."id" <> f."id" ORDER BY o."id" LIMIT 1) AS other,
              (SELECT bool_or(o.staged) FROM final o WHERE ${same} AND ${where('o')} AND o."id" <> f."id") AS other_staged
         FROM final f
        WHERE f.staged AND ${where('f')}
          AND EXISTS (SELECT 1 FROM final o WHERE ${same} AND ${where('o')} AND o."id" <> f."id")
        ORDER BY f."id"`,
      (r) => ({
        table: key.table,
        rowId: str(r.id),
        field: key.columns[key.columns.length - 1],
        message: `the ${key.describe} ${JSON.stringify(str(r[`k${key.columns.length - 1}`]))} would be used twice after the import (${
          // Another tenant's id is never named: a taken slug says only that it is taken.
          key.table === 'tenants' && !r.other_staged ? 'it is taken by another tenant' : `also by ${key.table} ${str(r.other)}`
        }): it must be unique`,
      }),
    );
  }
}

/** A strategy that deletes what the bundle leaves out needs the whole bundle (strategy.ts). */
function checkReplaceBundle(context: ImportContext): boolean {
  if (!STRATEGIES[context.strategy].needsCompleteBundle) return true;
  const options = context.manifest.options ?? {};
  const partial =
    options.incremental === true ||
    (options.modifiedSince !== undefined && options.modifiedSince !== null) ||
    (options.dateRange !== undefined && options.dateRange !== null);
  if (partial) {
    context.errors.add({
      table: null,
      rowId: null,
      field: 'strategy',
      message:
        'replace needs a complete bundle: this one was exported with a date range or modifiedSince, so replace would delete every row outside it; use merge (or skip) instead',
    });
    return false;
  }
  return true;
}

export type { StagedTable, TableSpec };
