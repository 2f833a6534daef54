import type { BundleManifest } from '../../shared/api-types.js';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, type BundleSummary } from '../bundle/index.js';
import { quote, whyNotStorable } from './exact-values.js';
import { reject } from '../import/import-types.js';

/** Keys that could reach an object's prototype chain: refused wherever they appear. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 32;
const SCOPES = ['tenant', 'global', 'full'];

export function forbiddenKeyError(key: string, where: string) {
  return reject(`${where}: the key "${key}" is not allowed in a bundle (it could reach an object prototype)`);
}

/**
 * Throws when `value` (from JSON.parse) holds a forbidden key, nests too deep, or holds text that
 * reports and job records (jsonb) cannot store: a NUL or a lone surrogate, in a key or a string.
 */
export function assertSafeJson(value: unknown, where: string, depth = 0): void {
  if (depth > MAX_DEPTH) throw reject(`${where}: nested more than ${MAX_DEPTH} levels deep`);
  if (typeof value === 'string') {
    assertStorable(value, 'string', where);
  } else if (Array.isArray(value)) {
    for (const item of value) assertSafeJson(item, where, depth + 1);
  } else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_KEYS.has(key)) throw forbiddenKeyError(key, where);
      assertStorable(key, 'key', where);
      assertSafeJson((value as Record<string, unknown>)[key], where, depth + 1);
    }
  }
}

/** Manifest and summary text reaches reports and job records (jsonb), which refuse NUL and lone surrogates. */
export function assertStorable(text: string, what: string, where: string): void {
  const why = whyNotStorable(text);
  if (why !== null) throw reject(`${where}: the ${what} ${quote(text, 40)} holds ${why}`);
}

/** JSON.parse for the small documents of a bundle (manifest, summary), with the key rules. */
export function parseSmallJson(text: string, where: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw reject(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  assertSafeJson(value, where);
  return value;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The manifest's shape (docs/bundle-format.md "Logical content"): what every reader needs before
 * it can read rows. Whether its tables and columns exist here is the engine's check.
 */
export function parseManifest(raw: unknown): BundleManifest {
  const bad = (field: string, expected: string) => reject(`manifest.${field}: expected ${expected}`, { field: `manifest.${field}` });
  if (!isObject(raw)) throw reject('The manifest is missing or not an object: this is not a RYTHM bundle');
  if (raw.format !== BUNDLE_FORMAT) throw bad('format', `"${BUNDLE_FORMAT}", got ${JSON.stringify(raw.format)}`);
  if (raw.formatVersion !== BUNDLE_FORMAT_VERSION)
    throw bad(
      'formatVersion',
      `${BUNDLE_FORMAT_VERSION}, got ${JSON.stringify(raw.formatVersion)}: this importer reads format version ${BUNDLE_FORMAT_VERSION} only`,
    );
  if (typeof raw.schemaVersion !== 'string' || raw.schemaVersion.length === 0 || raw.schemaVersion.length > 200) throw bad('schemaVersion', 'a migration name');
  if (typeof raw.scope !== 'string' || !SCOPES.includes(raw.scope)) throw bad('scope', 'tenant, global or full');
  if (raw.options !== undefined && !isObject(raw.options)) throw bad('options', 'an object');
  if (!isObject(raw.source)) throw bad('source', 'an object');
  if (!Array.isArray(raw.tables)) throw bad('tables', 'an array of { name, columns }');
  const names = new Set<string>();
  const tables = raw.tables.map((table, i) => {
    if (!isObject(table) || typeof table.name !== 'string' || !Array.isArray(table.columns) || table.columns.some((c) => typeof c !== 'string')) {
      throw bad(`tables[${i}]`, '{ "name": string, "columns": [string, ...] }');
    }
    if (names.has(table.name)) throw bad(`tables[${i}]`, `each table once; "${table.name}" is listed twice`);
    names.add(table.name);
    const columns = table.columns as string[];
    if (new Set(columns).size !== columns.length) throw bad(`tables[${i}].columns`, `each column once in "${table.name}"`);
    return { name: table.name, columns: [...columns] };
  });
  const source = raw.source;
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    schemaVersion: raw.schemaVersion,
    scope: raw.scope as BundleManifest['scope'],
    options: (raw.options as Record<string, unknown>) ?? {},
    createdAt: typeof raw.createdAt === 'string' ? raw.createdAt : '',
    source: {
      app: typeof source.app === 'string' ? source.app : '',
      version: typeof source.version === 'string' ? source.version : '',
      ...(typeof source.tenantId === 'string' ? { tenantId: source.tenantId } : {}),
      ...(typeof source.tenantSlug === 'string' ? { tenantSlug: source.tenantSlug } : {}),
    },
    tables,
  };
}

export function parseSummary(raw: unknown, manifest: BundleManifest): BundleSummary {
  if (!isObject(raw)) throw reject('The summary is missing or not an object: the bundle is truncated or not a RYTHM bundle');
  if (typeof raw.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(raw.sha256))
    throw reject('summary.sha256: expected 64 lower-case hex digits', { field: 'summary.sha256' });
  if (!isObject(raw.rowCounts)) throw reject('summary.rowCounts: expected an object of table → row count', { field: 'summary.rowCounts' });
  const rowCounts: Record<string, number> = {};
  for (const table of manifest.tables) {
    const count = raw.rowCounts[table.name];
    if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0) {
      throw reject(`summary.rowCounts.${table.name}: expected a row count for every manifest table`, { table: table.name, field: 'summary.rowCounts' });
    }
    rowCounts[table.name] = count;
  }
  for (const name of Object.keys(raw.rowCounts)) {
    if (!(name in rowCounts))
      throw reject(`summary.rowCounts names the table "${name}", which the manifest does not list`, { table: name, field: 'summary.rowCounts' });
  }
  return { rowCounts, sha256: raw.sha256 };
}
