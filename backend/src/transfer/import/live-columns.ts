import type pg from 'pg';
import type { TableSpec } from '../table-graph.js';
import type { ColumnCodec } from './column-codec.js';

/**
 * The live type of every domain column (`format_type`: `numeric(7,2)`, `text[]`...), so the staging
 * tables have exactly the target's types and numeric precision is checked before COPY.
 */
export async function loadCodecs(client: pg.ClientBase, tables: TableSpec[]): Promise<Map<string, Map<string, ColumnCodec>>> {
  const { rows } = await client.query<{ table_name: string; column_name: string; sql_type: string; has_default: boolean }>(
    `SELECT c.relname AS table_name, a.attname AS column_name, format_type(a.atttypid, a.atttypmod) AS sql_type, a.atthasdef AS has_default
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relname = ANY($1) AND a.attnum > 0 AND NOT a.attisdropped`,
    [tables.map((t) => t.name)],
  );
  const live = new Map(rows.map((r) => [`${r.table_name}.${r.column_name}`, r]));
  const codecs = new Map<string, Map<string, ColumnCodec>>();
  for (const table of tables) {
    const byName = new Map<string, ColumnCodec>();
    for (const column of table.columns) {
      const found = live.get(`${table.name}.${column.name}`);
      if (!found) throw new Error(`The database has no column ${table.name}.${column.name}: run the migrations first`);
      const sqlType = found.sql_type;
      const numeric = /^numeric\((\d+),(\d+)\)$/.exec(sqlType);
      byName.set(column.name, {
        name: column.name,
        type: column.type,
        nullable: column.nullable,
        sqlType,
        hasDefault: found.has_default,
        precision: numeric ? Number(numeric[1]) : null,
        scale: numeric ? Number(numeric[2]) : null,
      });
    }
    codecs.set(table.name, byName);
  }
  return codecs;
}
