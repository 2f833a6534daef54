import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse/sync';
import type pg from 'pg';
import { DataSource } from 'typeorm';
import yauzl from 'yauzl';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { domainTables } from '../../src/transfer/domain-tables.js';
import type { TableSpec } from '../../src/transfer/table-graph.js';

/**
 * Bundle readers for the export tests, written from docs/bundle-format.md and independent of the
 * writer's code: they parse what a file holds and recompute the hash their own way.
 */

/** The table graph without a connection (metadata only). */
export async function exportTables(): Promise<TableSpec[]> {
  const dataSource = new DataSource(dataSourceOptions('postgres://unused@127.0.0.1:1/unused'));
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  return domainTables(dataSource);
}

export interface ParsedBundle {
  manifest: { scope: string; options: Record<string, unknown>; tables: { name: string; columns: string[] }[]; source: Record<string, unknown> };
  summary: { rowCounts: Record<string, number>; sha256: string };
  /** Rows per table as strings-or-null per column (COPY/CSV) or JSON values (JSON). */
  rows: Record<string, Record<string, unknown>[]>;
  /** The hash recomputed from the file. */
  recomputedSha256: string;
}

const ungzip = (file: Buffer) => (file[0] === 0x1f && file[1] === 0x8b ? gunzipSync(file) : file);

export function parseJsonBundle(file: Buffer): ParsedBundle {
  const text = ungzip(file).toString('utf8');
  const doc = JSON.parse(text) as { manifest: ParsedBundle['manifest']; data: Record<string, Record<string, unknown>[]>; summary: ParsedBundle['summary'] };
  const hash = createHash('sha256');
  for (const table of doc.manifest.tables) for (const row of doc.data[table.name]) hash.update(`${JSON.stringify(row)}\n`);
  return { manifest: doc.manifest, summary: doc.summary, rows: doc.data, recomputedSha256: hash.digest('hex') };
}

function unescapeCopy(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v' })[c] ?? c);
}

export function parseSqlBundle(file: Buffer): ParsedBundle & { lines: string[] } {
  const lines = ungzip(file).toString('utf8').split('\n');
  const manifestLine = lines.find((l) => l.startsWith('-- manifest: '))!;
  const summaryLine = lines.find((l) => l.startsWith('-- summary: '))!;
  const manifest = JSON.parse(manifestLine.slice('-- manifest: '.length)) as ParsedBundle['manifest'];
  const hash = createHash('sha256');
  const rows: ParsedBundle['rows'] = {};
  let current: { name: string; columns: string[] } | null = null;
  for (const line of lines) {
    if (current) {
      if (line === '\\.') {
        current = null;
        continue;
      }
      hash.update(`${line}\n`);
      const fields = line.split('\t').map(unescapeCopy);
      const columns = current.columns;
      rows[current.name].push(Object.fromEntries(columns.map((c, i) => [c, fields[i]])));
      continue;
    }
    const copy = /^COPY "(\w+)" \((.*)\) FROM stdin;$/.exec(line);
    if (copy) {
      current = { name: copy[1], columns: copy[2].split(', ').map((c) => c.slice(1, -1)) };
      rows[current.name] = [];
    }
  }
  return { manifest, summary: JSON.parse(summaryLine.slice('-- summary: '.length)), rows, recomputedSha256: hash.digest('hex'), lines };
}

export async function unzipEntries(file: Buffer): Promise<{ name: string; data: Buffer }[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(file, { lazyEntries: true }, (error, z) => (error ? reject(error) : resolve(z))),
  );
  const entries: { name: string; data: Buffer }[] = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (error, stream) => {
        if (error) return reject(error);
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return entries;
}

export async function parseCsvBundle(file: Buffer): Promise<ParsedBundle & { entries: string[]; files: Record<string, string> }> {
  const entries = await unzipEntries(file);
  const byName = new Map(entries.map((e) => [e.name, e.data]));
  const manifest = JSON.parse(byName.get('manifest.json')!.toString('utf8')) as ParsedBundle['manifest'];
  const summary = JSON.parse(byName.get('summary.json')!.toString('utf8')) as ParsedBundle['summary'];
  const hash = createHash('sha256');
  const rows: ParsedBundle['rows'] = {};
  const files: Record<string, string> = {};
  for (const table of manifest.tables) {
    const data = byName.get(`${table.name}.csv`)!;
    hash.update(data);
    files[table.name] = data.toString('utf8');
    // Empty unquoted cell = NULL, "" = empty string: keep the quote information.
    const records = parseCsv<Record<string, unknown>>(data, { columns: true, cast: (value, context) => (value === '' && !context.quoting ? null : value) });
    rows[table.name] = records;
  }
  return { manifest, summary, rows, recomputedSha256: hash.digest('hex'), entries: entries.map((e) => e.name), files };
}

/** Rows of a table as PostgreSQL prints them in text (the comparison currency of the tests). */
export async function textRows(client: pg.Client | pg.Pool, sql: string, params: unknown[] = []): Promise<Record<string, string | null>[]> {
  const result = await client.query({ text: sql, values: params, types: { getTypeParser: () => (value: string) => value } });
  return result.rows as Record<string, string | null>[];
}

export async function ids(client: pg.Client | pg.Pool, sql: string, params: unknown[] = []): Promise<string[]> {
  const rows = await textRows(client, sql, params);
  return rows.map((r) => r.id as string);
}

export function bundleIds(bundle: ParsedBundle, table: string): string[] {
  return (bundle.rows[table] ?? []).map((r) => r.id as string);
}
