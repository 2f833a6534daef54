import type pg from 'pg';
import type { BundleManifest, ExportScope, ImportStrategy, Role } from '../../shared/api-types.js';
import { isUuid } from '../../shared/patterns.js';
import { quoteIdent } from '../bundle/index.js';
import type { TableSpec } from '../table-graph.js';
import type { ErrorList } from './import-types.js';
import type { StagedTable } from './staging.js';
import { STRATEGIES } from './strategy.js';
import type { ImportTrust } from './trust.js';

/** What the set-based steps (clone, plan, validate, apply) share once the bundle is staged. */
export interface ImportContext {
  client: pg.ClientBase;
  scope: ExportScope;
  strategy: ImportStrategy;
  clone: boolean;
  actorRole: Role;
  /** What the bundle may change about power (trust.ts). */
  trust: ImportTrust;
  manifest: BundleManifest;
  /** Staged bundle tables, parents first. */
  staged: StagedTable[];
  /** Every domain table, parents first (references from tables outside the bundle count too). */
  allTables: TableSpec[];
  /** Tenant scope: the tenant the staged rows belong to (after a clone's remap, the new tenant). */
  bundleTenantId: string | null;
  /** Tenant scope: the tenant being written. */
  targetTenantId: string | null;
  errors: ErrorList;
}

export const q = quoteIdent;

/** A uuid as an SQL literal; only ever called with ids the engine has checked. */
export function uuidLiteral(id: string): string {
  if (!isUuid(id)) throw new Error(`not a canonical uuid: ${id}`);
  return `'${id}'::uuid`;
}

export const hasColumn = (table: StagedTable, name: string) => table.columns.some((c) => c.name === name);
export const hasTenantColumn = (spec: TableSpec) => spec.columns.some((c) => c.name === 'tenant_id');
export const stagedByName = (context: ImportContext, name: string) => context.staged.find((t) => t.spec.name === name) ?? null;

/** SQL: the row `alias` of `spec` is global data (equipment; exercises/templates with no tenant). */
export function isGlobalRow(spec: TableSpec, alias: string): string {
  if (spec.ownership === 'global') return 'TRUE';
  if (spec.ownership === 'shared') return `${alias}."tenant_id" IS NULL`;
  return 'FALSE';
}

/**
 * SQL: the database row `alias` of `spec` belongs to the import's scope, i.e. a replace deletes it
 * when the bundle does not hold it. Global rows are never in a tenant import's scope.
 */
export function inScope(context: ImportContext, spec: TableSpec, alias: string): string {
  switch (context.scope) {
    case 'full':
      return 'TRUE';
    case 'global':
      return spec.ownership === 'global' ? 'TRUE' : spec.ownership === 'shared' ? `${alias}."tenant_id" IS NULL` : 'FALSE';
    case 'tenant': {
      const tenant = uuidLiteral(context.targetTenantId!);
      // The tenant row itself is never deleted by a tenant import (only updated).
      if (spec.ownership === 'root') return 'FALSE';
      if (spec.ownership === 'global') return 'FALSE';
      return `${alias}."tenant_id" = ${tenant}`;
    }
  }
}

/**
 * SQL: an existing row may be overwritten by the staged row `alias`: when the strategy updates
 * changed rows (strategy.ts), and never a global row in a tenant import (it only adds missing ones).
 */
export function writable(context: ImportContext, spec: TableSpec, alias: string): string {
  if (STRATEGIES[context.strategy].changedRow === 'skip') return 'FALSE';
  if (context.scope === 'tenant') return `NOT (${isGlobalRow(spec, alias)})`;
  return 'TRUE';
}

/** SQL: the referenced row `parent` is visible from the row `child` (same tenant, or global). */
export function visible(parentSpec: TableSpec, parent: string, childSpec: TableSpec, child: string): string {
  if (!hasTenantColumn(parentSpec)) return 'TRUE';
  // A null tenant means global data only where the table can hold global rows (exercises,
  // templates); a user without a tenant is a platform operator, whom no tenant's row may reference.
  const global = parentSpec.ownership === 'shared' ? `${parent}."tenant_id" IS NULL` : 'FALSE';
  if (!hasTenantColumn(childSpec)) return global;
  return `(${global} OR ${parent}."tenant_id" IS NOT DISTINCT FROM ${child}."tenant_id")`;
}
