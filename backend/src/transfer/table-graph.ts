import type { EntityMetadata } from 'typeorm';
import { type ColumnPolicy, type Ownership, TABLE_POLICIES } from './table-policy.js';

export type ColumnType = 'uuid' | 'text' | 'integer' | 'bigint' | 'numeric' | 'timestamptz' | 'boolean' | 'jsonb' | 'text[]';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
  policy: ColumnPolicy;
}

export interface ForeignKeySpec {
  column: string;
  references: string;
}

export interface TableSpec {
  name: string;
  ownership: Ownership;
  /** In entity order; `id` first. */
  columns: ColumnSpec[];
  foreignKeys: ForeignKeySpec[];
}

/** Whether `column` of `spec` is a credential (policy `credential`: only with includeCredentials). */
export const isCredentialColumn = (spec: TableSpec, column: string): boolean => spec.columns.find((c) => c.name === column)?.policy === 'credential';

export class TableGraphError extends Error {}

function columnType(dbType: unknown, isArray: boolean): ColumnType {
  const raw = String(typeof dbType === 'function' ? (dbType as { name: string }).name : dbType).toLowerCase();
  const base: Record<string, ColumnType> = {
    uuid: 'uuid',
    text: 'text',
    integer: 'integer',
    int: 'integer',
    bigint: 'bigint',
    numeric: 'numeric',
    timestamptz: 'timestamptz',
    'timestamp with time zone': 'timestamptz',
    boolean: 'boolean',
    jsonb: 'jsonb',
  };
  const type = base[raw];
  if (!type) throw new TableGraphError(`column type "${raw}" is not supported by the transfer engine`);
  if (isArray) {
    if (type !== 'text') throw new TableGraphError(`arrays of ${raw} are not supported by the transfer engine`);
    return 'text[]';
  }
  return type;
}

/**
 * The tables of the given entities in an order where every table comes after the tables it
 * references (Kahn's algorithm; ties keep the entities' own order). Self-references are allowed;
 * a cycle between tables is an error naming them.
 */
export function buildTableGraph(entities: EntityMetadata[]): TableSpec[] {
  const specs = entities.map((entity): TableSpec => {
    const policy = TABLE_POLICIES[entity.tableName];
    if (!policy) throw new TableGraphError(`table "${entity.tableName}" has no transfer policy in table-policy.ts`);
    const columns = entity.columns.map((column) => {
      const columnPolicy = policy.columns[column.databaseName];
      if (!columnPolicy) throw new TableGraphError(`column "${entity.tableName}.${column.databaseName}" has no transfer policy in table-policy.ts`);
      return { name: column.databaseName, type: columnType(column.type, column.isArray), nullable: column.isNullable, policy: columnPolicy };
    });
    for (const name of Object.keys(policy.columns)) {
      if (!columns.some((c) => c.name === name))
        throw new TableGraphError(`table-policy.ts classifies "${entity.tableName}.${name}", which the entity does not have`);
    }
    const foreignKeys = entity.foreignKeys.map((fk) => ({ column: fk.columnNames[0], references: fk.referencedTablePath }));
    return { name: entity.tableName, ownership: policy.ownership, columns, foreignKeys };
  });

  const byName = new Map(specs.map((s) => [s.name, s]));
  const ordered: TableSpec[] = [];
  const placed = new Set<string>();
  const remaining = [...specs];
  while (remaining.length > 0) {
    const index = remaining.findIndex((spec) =>
      spec.foreignKeys.every((fk) => fk.references === spec.name || placed.has(fk.references) || !byName.has(fk.references)),
    );
    if (index === -1) {
      throw new TableGraphError(`foreign keys form a cycle between tables ${remaining.map((s) => s.name).join(', ')}: no export order exists`);
    }
    const [next] = remaining.splice(index, 1);
    ordered.push(next);
    placed.add(next.name);
  }
  return ordered;
}
