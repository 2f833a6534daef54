import { quoteIdent } from '../formats/sql/dialect.js';
import type { ColumnSpec, TableSpec } from '../table-graph.js';
import { type ExportSelection, type PlanOptions, planOptions } from './export-selection.js';

/**
 * Which rows and columns of each table an export takes, as SQL (docs/export.md). Pure: no I/O,
 * so it is unit-tested without a database. Every literal comes from validated input and goes
 * through `literal()`: COPY cannot take bind parameters.
 */

/** The table whose `started_at` the date range filters; tables that must reference it follow. */
export const DATE_RANGE = { table: 'sessions', column: 'started_at' } as const;
/** Tables left out by the include flags (with everything that cannot exist without them). */
export const INCLUDE_TABLES = { users: 'users', sessions: 'sessions' } as const;
const MODIFIED_COLUMN = 'updated_at';

export interface PlannedColumn {
  spec: ColumnSpec;
  /** SQL producing the bundle value (the column itself, or its anonymised replacement). */
  expression: string;
}

export interface PlannedTable {
  spec: TableSpec;
  columns: PlannedColumn[];
  /** Predicate over the table (qualified by its name) choosing the rows. */
  where: string;
}

/** The options a manifest records: what the bundle holds, independent of its encoding. */
export function manifestOptions(checked: ExportSelection): Record<string, unknown> {
  const selection = planOptions(checked);
  const options: Record<string, unknown> = {
    include: { users: selection.includeUsers, sessions: selection.includeSessions },
  };
  if (selection.from || selection.to) {
    options.dateRange = { ...(selection.from ? { from: selection.from.toISOString() } : {}), ...(selection.to ? { to: selection.to.toISOString() } : {}) };
  }
  if (selection.modifiedSince) options.modifiedSince = selection.modifiedSince.toISOString();
  // Incremental bundles may reference rows they do not carry; importers must not expect closure.
  options.incremental = selection.modifiedSince !== null;
  options.anonymize = selection.anonymize;
  options.includeCredentials = selection.includeCredentials;
  return options;
}

export function literal(value: string): string {
  if (value.includes('\0')) throw new Error('NUL in SQL literal');
  return `'${value.replace(/'/g, "''")}'`;
}

const q = quoteIdent;
const col = (table: string, column: string) => `${q(table)}.${q(column)}`;

/** Anonymised replacement for a column, derived from the row id and the per-export salt. */
function columnExpression(table: string, column: ColumnSpec, selection: PlanOptions, salt: string): string {
  const plain = col(table, column.name);
  if (!selection.anonymize) return plain;
  const hash = (tag: string, length: number) => `left(md5(${literal(`${salt}:${tag}:`)} || ${col(table, 'id')}::text), ${length})`;
  switch (column.policy) {
    case 'anonymise-email':
      return `'user-' || ${hash('email', 16)} || '@example.invalid'`;
    case 'anonymise-first-name':
      return `'First-' || ${hash('first', 8)}`;
    case 'anonymise-last-name':
      return `'Last-' || ${hash('last', 8)}`;
    case 'anonymise-text':
      return `CASE WHEN ${plain} IS NULL THEN NULL ELSE '(anonymised)' END`;
    case 'copy':
    case 'credential':
      return plain;
  }
}

/**
 * The tables an export writes, in export order, with their columns and row predicates.
 * Rules (docs/export.md):
 * - scope picks tables and rows by ownership (table-policy.ts);
 * - include.users / include.sessions drop those tables, then every table with a NOT NULL
 *   reference to a dropped table; a nullable reference to a dropped table is left out as a column;
 * - the date range filters sessions by started_at in [from, to), tables referencing sessions
 *   follow them;
 * - tenant scope adds the global rows its rows reference (exercises, then their equipment);
 * - modifiedSince keeps rows with updated_at > t in every table (incremental).
 */
export function planExport(tables: TableSpec[], checked: ExportSelection, salt: string): PlannedTable[] {
  const selection = planOptions(checked);
  const { scope } = selection;
  const inScope = tables.filter((t) => scope !== 'global' || t.ownership === 'global' || t.ownership === 'shared');

  const dropped = new Set<string>();
  if (!selection.includeUsers) dropped.add(INCLUDE_TABLES.users);
  if (!selection.includeSessions) dropped.add(INCLUDE_TABLES.sessions);
  for (const table of inScope) {
    const needsDropped = table.foreignKeys.some((fk) => dropped.has(fk.references) && !columnOf(table, fk.column).nullable);
    if (needsDropped) dropped.add(table.name);
  }
  const kept = inScope.filter((t) => !dropped.has(t.name));

  const tenant = selection.tenantId ? literal(selection.tenantId) : null;
  const modified = selection.modifiedSince ? literal(selection.modifiedSince.toISOString()) : null;

  // Row predicates that come from the table itself (scope, range, following the range).
  const rangeOf = new Map<string, string>();
  const own = new Map<string, string>();
  for (const table of kept) {
    const parts: string[] = [];
    if (scope === 'tenant') {
      if (table.ownership === 'root') parts.push(`${col(table.name, 'id')} = ${tenant}`);
      else if (table.ownership === 'global') parts.push('FALSE');
      else parts.push(`${col(table.name, 'tenant_id')} = ${tenant}`);
    } else if (scope === 'global' && table.ownership === 'shared') {
      parts.push(`${col(table.name, 'tenant_id')} IS NULL`);
    }
    const range: string[] = [];
    if (table.name === DATE_RANGE.table) {
      if (selection.from) range.push(`${col(table.name, DATE_RANGE.column)} >= ${literal(selection.from.toISOString())}`);
      if (selection.to) range.push(`${col(table.name, DATE_RANGE.column)} < ${literal(selection.to.toISOString())}`);
    }
    for (const fk of table.foreignKeys) {
      const parentRange = rangeOf.get(fk.references);
      if (parentRange && !columnOf(table, fk.column).nullable) {
        range.push(`${col(table.name, fk.column)} IN (SELECT ${col(fk.references, 'id')} FROM ${q(fk.references)} WHERE ${parentRange})`);
      }
    }
    if (range.length > 0) {
      // The parent's own scope predicate rides along so the subquery uses the tenant index.
      const scoped = [...parts, ...range].join(' AND ');
      rangeOf.set(table.name, scoped);
      parts.push(...range);
    }
    own.set(table.name, parts.length > 0 ? parts.join(' AND ') : 'TRUE');
  }

  // Final predicates; in tenant scope global rows referenced by kept rows join in (reverse order,
  // so a referencing table's final predicate is known before the table it references).
  const final = new Map<string, string>();
  const withModified = (table: TableSpec, predicate: string) => (modified ? `(${predicate}) AND ${col(table.name, MODIFIED_COLUMN)} > ${modified}` : predicate);
  for (const table of [...kept].reverse()) {
    let predicate = own.get(table.name)!;
    if (scope === 'tenant' && (table.ownership === 'global' || table.ownership === 'shared')) {
      const refs = kept.flatMap((other) =>
        other.foreignKeys
          .filter((fk) => fk.references === table.name && other.name !== table.name && final.has(other.name) && !isDroppedColumn(other, fk.column, dropped))
          // DISTINCT keeps the subquery small enough for PostgreSQL to hash it (inside an OR it
          // cannot become a join), instead of rescanning every referencing row per candidate.
          .map((fk) => `${col(table.name, 'id')} IN (SELECT DISTINCT ${col(other.name, fk.column)} FROM ${q(other.name)} WHERE ${final.get(other.name)})`),
      );
      if (refs.length > 0) {
        const globalRow = table.ownership === 'shared' ? `${col(table.name, 'tenant_id')} IS NULL AND ` : '';
        predicate = `${predicate} OR (${globalRow}(${refs.join(' OR ')}))`;
      }
    }
    final.set(table.name, withModified(table, predicate));
  }

  return kept.map((table) => ({
    spec: table,
    where: final.get(table.name)!,
    columns: table.columns
      .filter((c) => c.policy !== 'credential' || selection.credentials)
      .filter((c) => !isDroppedColumn(table, c.name, dropped))
      .map((c) => ({ spec: c, expression: columnExpression(table.name, c, selection, salt) })),
  }));
}

function columnOf(table: TableSpec, name: string): ColumnSpec {
  const column = table.columns.find((c) => c.name === name);
  if (!column) throw new Error(`table-graph: ${table.name}.${name} is a foreign key but not a column`);
  return column;
}

/** A nullable reference into a table the include flags dropped. */
function isDroppedColumn(table: TableSpec, column: string, dropped: Set<string>): boolean {
  return table.foreignKeys.some((fk) => fk.column === column && dropped.has(fk.references));
}

/** `SELECT <bundle columns> FROM table WHERE ... ORDER BY id`, each value through `wrap`. */
export function selectSql(table: PlannedTable, wrap: (column: PlannedColumn) => string = (c) => c.expression): string {
  const columns = table.columns.map((c) => `${wrap(c)} AS ${q(c.spec.name)}`).join(', ');
  return `SELECT ${columns} FROM ${q(table.spec.name)} WHERE ${table.where} ORDER BY ${col(table.spec.name, 'id')}`;
}

/** The planner's estimate of the table's rows (planning only, nothing is read): for progress totals. */
export function estimateSql(table: PlannedTable): string {
  return `EXPLAIN (FORMAT JSON) SELECT 1 FROM ${q(table.spec.name)} WHERE ${table.where}`;
}
