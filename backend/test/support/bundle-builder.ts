import { createHash } from 'node:crypto';
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { SCHEMA_VERSION } from '../../src/database/migrations/index.js';
import type { BundleManifest } from '../../src/shared/api-types.js';
import {
  formatTextArray,
  jsonValueToCopyField,
  protectCsvText,
  SQL_BEGIN_LINE,
  SQL_COMMIT_LINE,
  SQL_COPY_END_LINE,
  SQL_MANIFEST_PREFIX,
  SQL_SET_LINES,
  SQL_SUMMARY_PREFIX,
  SQL_TITLE_LINE,
  sqlCopyHeaderLine,
} from '../../src/transfer/bundle/index.js';
import type { ColumnType } from '../../src/transfer/table-graph.js';

/**
 * Builds small bundles in memory for the import tests and the fixture script, from logical rows
 * (JSON values), in all three encodings (docs/bundle-format.md). Deliberately separate from the
 * exporter: fixtures can be made wrong on purpose (bad sums, bad names, lying zip sizes).
 */
export type Row = Record<string, unknown>;

export interface LogicalBundle {
  manifest: BundleManifest;
  rows: Record<string, Row[]>;
  /** Column types, for the SQL and CSV encodings. */
  types: Record<string, Record<string, ColumnType>>;
  /** Overrides the computed summary (checksum-mismatch fixtures). */
  summary?: { rowCounts: Record<string, number>; sha256: string };
}

export function manifestFor(
  scope: BundleManifest['scope'],
  tables: { name: string; columns: string[] }[],
  source: Partial<BundleManifest['source']> = {},
): BundleManifest {
  return {
    format: 'rythm-bundle',
    formatVersion: 1,
    schemaVersion: SCHEMA_VERSION,
    scope,
    options: { include: { users: true, sessions: true }, incremental: false, anonymize: false, includeCredentials: false },
    createdAt: '2026-09-01T00:00:00.000Z',
    source: { app: 'rythm-data', version: '0.1.0', ...source },
    tables,
  };
}

const rowCountsOf = (bundle: LogicalBundle) => Object.fromEntries(bundle.manifest.tables.map((t) => [t.name, (bundle.rows[t.name] ?? []).length]));

/** Rows in manifest column order (the key order the format requires). */
function ordered(bundle: LogicalBundle, table: string, row: Row): Row {
  const columns = bundle.manifest.tables.find((t) => t.name === table)!.columns;
  const out: Row = {};
  for (const c of columns) if (Object.hasOwn(row, c)) out[c] = row[c];
  for (const k of Object.keys(row)) if (!columns.includes(k)) out[k] = row[k];
  return out;
}

export function encodeJson(bundle: LogicalBundle): Buffer {
  const hash = createHash('sha256');
  const lines = [`{"manifest":${JSON.stringify(bundle.manifest)},`, '"data":{'];
  bundle.manifest.tables.forEach((table, t) => {
    lines.push(`${JSON.stringify(table.name)}:[`);
    const rows = bundle.rows[table.name] ?? [];
    rows.forEach((row, i) => {
      const text = JSON.stringify(ordered(bundle, table.name, row));
      hash.update(`${text}\n`);
      lines.push(`${text}${i < rows.length - 1 ? ',' : ''}`);
    });
    lines.push(`]${t < bundle.manifest.tables.length - 1 ? ',' : ''}`);
  });
  lines.push('},');
  const summary = bundle.summary ?? { rowCounts: rowCountsOf(bundle), sha256: hash.digest('hex') };
  lines.push(`"summary":${JSON.stringify(summary)}}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

function copyLine(bundle: LogicalBundle, table: string, row: Row): string {
  const columns = bundle.manifest.tables.find((t) => t.name === table)!.columns;
  return columns.map((c) => jsonValueToCopyField(bundle.types[table]?.[c] ?? 'text', row[c] ?? null)).join('\t');
}

export function encodeSql(
  bundle: LogicalBundle,
  extraLines: { after: string; lines: string[] } | null = null,
  transformLine: (line: string) => string = (l) => l,
): Buffer {
  const hash = createHash('sha256');
  const out = [SQL_TITLE_LINE, `${SQL_MANIFEST_PREFIX}${JSON.stringify(bundle.manifest)}`, ...SQL_SET_LINES, SQL_BEGIN_LINE];
  for (const table of bundle.manifest.tables) {
    out.push(sqlCopyHeaderLine(table.name, table.columns));
    for (const row of bundle.rows[table.name] ?? []) {
      const line = transformLine(copyLine(bundle, table.name, row));
      hash.update(`${line}\n`);
      out.push(line);
    }
    out.push(SQL_COPY_END_LINE);
    if (extraLines && extraLines.after === table.name) out.push(...extraLines.lines);
  }
  out.push(SQL_COMMIT_LINE);
  const summary = bundle.summary ?? { rowCounts: rowCountsOf(bundle), sha256: hash.digest('hex') };
  out.push(`${SQL_SUMMARY_PREFIX}${JSON.stringify(summary)}`);
  return Buffer.from(`${out.join('\n')}\n`);
}

function csvCell(type: ColumnType, value: unknown): string {
  if (value === null || value === undefined) return '';
  let text: string;
  if (type === 'text[]') text = formatTextArray(value as string[]);
  else if (type === 'text') text = protectCsvText(value as string);
  else text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === '' || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvFiles(bundle: LogicalBundle): { name: string; data: Buffer }[] {
  const files = [{ name: 'manifest.json', data: Buffer.from(JSON.stringify(bundle.manifest)) }];
  const hash = createHash('sha256');
  for (const table of bundle.manifest.tables) {
    const lines = [table.columns.join(',')];
    for (const row of bundle.rows[table.name] ?? []) lines.push(table.columns.map((c) => csvCell(bundle.types[table.name]?.[c] ?? 'text', row[c])).join(','));
    const data = Buffer.from(`${lines.join('\n')}\n`);
    hash.update(data);
    files.push({ name: `${table.name}.csv`, data });
  }
  const summary = bundle.summary ?? { rowCounts: rowCountsOf(bundle), sha256: hash.digest('hex') };
  files.push({ name: 'summary.json', data: Buffer.from(JSON.stringify(summary)) });
  return files;
}

export const encodeCsvZip = (bundle: LogicalBundle) => zipOf(csvFiles(bundle));
export const gzip = (data: Buffer) => gzipSync(data);

export interface ZipEntry {
  name: string;
  data: Buffer;
  /** Deflate (default) or store. */
  store?: boolean;
  /** Lie about the uncompressed size in both headers (bomb tests). */
  declaredSize?: number;
}

/** A minimal zip writer (no data descriptors, no zip64): enough for fixtures, honest or not. */
export function zipOf(entries: ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const body = entry.store ? entry.data : deflateRawSync(entry.data);
    const crc = crc32(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(entry.store ? 0 : 8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(0x0800, 8);
    header.writeUInt16LE(entry.store ? 0 : 8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(body.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    parts.push(local, name, body);
    central.push(header, name);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}
