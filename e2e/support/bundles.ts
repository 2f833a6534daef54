import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Test bundles made from the QA fixtures (e2e/fixtures/*.json). A tenant bundle imports only
// into its own tenant (DESIGN §5), and a run's database keeps every id it has seen, so each test
// makes its own copy of a fixture: every tenant-owned id renamed, its own slug, and the summary
// (row counts, sha256 over each row's JSON text plus "\n", docs/bundle-format.md) recomputed.

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

type Row = Record<string, unknown>;

interface Manifest {
  scope: string;
  createdAt: string;
  source: { tenantId?: string; tenantSlug?: string } & Record<string, unknown>;
  tables: { name: string; columns: string[] }[];
}

export interface Bundle {
  manifest: Manifest;
  data: Record<string, Row[]>;
  summary: { rowCounts: Record<string, number>; sha256: string };
}

export interface BundleFile {
  name: string;
  mimeType: string;
  buffer: Buffer;
}

export function fixturePath(name: string): string {
  return join(FIXTURES, `${name}.json`);
}

export function readFixture(name: string): Bundle {
  return JSON.parse(readFileSync(fixturePath(name), 'utf8')) as Bundle;
}

/** A unique suffix for slugs and notes of this run. */
export function runId(): string {
  return `${Date.now().toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
}

/** The summary that matches the data (the importer refuses a bundle whose summary does not). */
export function summarize(bundle: Bundle): Bundle['summary'] {
  const hash = createHash('sha256');
  const rowCounts: Record<string, number> = {};
  for (const { name } of bundle.manifest.tables) {
    const rows = bundle.data[name] ?? [];
    rowCounts[name] = rows.length;
    for (const row of rows) hash.update(JSON.stringify(row) + '\n');
  }
  return { rowCounts, sha256: hash.digest('hex') };
}

/** Encodes a bundle as the exporter does: manifest on the first line, one row per line. */
export function encode(bundle: Bundle, fileName: string): BundleFile {
  const tables = bundle.manifest.tables.map(
    ({ name }) => `${JSON.stringify(name)}:[\n${(bundle.data[name] ?? []).map((r) => JSON.stringify(r)).join(',\n')}\n]`,
  );
  const text = `{"manifest":${JSON.stringify(bundle.manifest)},\n"data":{\n${tables.join(',\n')}\n},\n"summary":${JSON.stringify(bundle.summary)}}\n`;
  return { name: fileName, mimeType: 'application/json', buffer: Buffer.from(text, 'utf8') };
}

/**
 * A copy of a tenant fixture as a tenant nobody has seen: new ids for the tenant and every row
 * that belongs to it (global rows keep theirs), the given slug and name, a valid summary.
 */
export function freshTenantBundle(fixture: string, slug: string, name = `E2E ${slug}`): Bundle {
  const bundle = readFixture(fixture);
  const renamed = new Map<string, string>();
  for (const [table, rows] of Object.entries(bundle.data)) {
    for (const row of rows) {
      if (table === 'tenants' || (typeof row.tenant_id === 'string' && row.tenant_id !== '')) renamed.set(String(row.id), randomUUID());
    }
  }
  const rename = (value: unknown): unknown => (typeof value === 'string' ? (renamed.get(value) ?? value) : Array.isArray(value) ? value.map(rename) : value);
  for (const rows of Object.values(bundle.data)) {
    for (const row of rows) for (const key of Object.keys(row)) row[key] = rename(row[key]);
  }
  const tenant = bundle.data.tenants[0];
  tenant.slug = slug;
  tenant.name = name;
  bundle.manifest.source = { ...bundle.manifest.source, tenantId: String(tenant.id), tenantSlug: slug };
  bundle.manifest.createdAt = new Date().toISOString();
  bundle.summary = summarize(bundle);
  return bundle;
}

export function tenantIdOf(bundle: Bundle): string {
  return String(bundle.data.tenants[0].id);
}

/** The same bundle with only its first `sessions` sessions (and their sets): a partial history. */
export function withFirstSessions(bundle: Bundle, sessions: number): Bundle {
  const copy = structuredClone(bundle);
  copy.data.sessions = copy.data.sessions.slice(0, sessions);
  const kept = new Set(copy.data.sessions.map((s) => s.id));
  copy.data.sets = copy.data.sets.filter((s) => kept.has(s.session_id));
  copy.summary = summarize(copy);
  return copy;
}

/** Counts of a bundle's rows in the tables GET /api/tenants reports. */
export function tenantCounts(bundle: Bundle): { users: number; sessions: number; sets: number } {
  return { users: bundle.data.users.length, sessions: bundle.data.sessions.length, sets: bundle.data.sets.length };
}
