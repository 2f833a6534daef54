import { readFile, writeFile } from 'node:fs/promises';
import type { BundleManifest } from '../../src/shared/api-types.js';
import type { TableSpec } from '../../src/transfer/table-graph.js';
import { encodeCsvZip, encodeJson, encodeSql, type LogicalBundle, type Row } from './bundle-builder.js';

/** Reads a JSON bundle the exporter wrote into logical rows that tests can edit and re-encode. */
export async function readJsonBundle(path: string, tables: TableSpec[]): Promise<LogicalBundle> {
  const doc = JSON.parse(await readFile(path, 'utf8')) as { manifest: BundleManifest; data: Record<string, Row[]> };
  const types = Object.fromEntries(tables.map((t) => [t.name, Object.fromEntries(t.columns.map((c) => [c.name, c.type]))]));
  return { manifest: doc.manifest, rows: doc.data, types };
}

export async function writeBundle(path: string, bundle: LogicalBundle, format: 'json' | 'sql' | 'csv' = 'json'): Promise<string> {
  await writeFile(path, format === 'json' ? encodeJson(bundle) : format === 'sql' ? encodeSql(bundle) : encodeCsvZip(bundle));
  return path;
}
