import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { ExportRequest, ImportRequest, Role } from '../../src/shared/api-types.js';
import { exportBundle } from '../../src/transfer/export/export-bundle.js';
import { normaliseExport } from '../../src/transfer/export/export-selection.js';
import { offlineDomainTables } from '../../src/database/offline-tables.js';
import { importBundle } from '../../src/transfer/import/import-engine.js';
import { normaliseImport } from '../../src/transfer/import/import-selection.js';
import type { ImportHooks, ImportOutcome, PreImportBackup } from '../../src/transfer/import/import-types.js';
import type { ImportSource } from '../../src/transfer/import/trust.js';
import type { TableSpec } from '../../src/transfer/table-graph.js';

/** Helpers for the import tests: pools, bundles from the real exporter, table checksums. */
export const DOMAIN_TABLES = [
  'tenants',
  'equipment',
  'exercises',
  'exercise_templates',
  'users',
  'programs',
  'workouts',
  'sessions',
  'sets',
  'program_assignments',
];

export const SYSTEM_ADMIN = { role: 'system_admin' as const, tenantId: null };
export const orgAdmin = (tenantId: string) => ({ role: 'org_admin' as const, tenantId });

export function testPool(url: string, max = 6): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, options: '-c TimeZone=UTC' });
  // Idle clients are terminated when a test database is dropped WITH (FORCE).
  pool.on('error', () => undefined);
  return pool;
}

/** md5 of every domain table's rows (whole-row text, ordered by id): equal sums = unchanged tables. */
export async function tableChecksums(pool: pg.Pool, tables: string[] = DOMAIN_TABLES): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of tables) {
    const { rows } = await pool.query<{ sum: string; n: string }>(
      `SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t.id), '')) AS sum, count(*) AS n FROM "${table}" t`,
    );
    sums[table] = `${rows[0].n}:${rows[0].sum}`;
  }
  return sums;
}

/** Whole rows as text, ordered by id (column by column equality with one comparison). */
export async function rowTexts(pool: pg.Pool, table: string, where = 'TRUE', params: unknown[] = []): Promise<string[]> {
  const { rows } = await pool.query<{ row: string }>(`SELECT t::text AS row FROM "${table}" t WHERE ${where} ORDER BY t.id`, params);
  return rows.map((r) => r.row);
}

export async function count(pool: pg.Pool, sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(sql, params);
  return Number(rows[0].n);
}

export async function tenantId(pool: pg.Pool, slug: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = $1`, [slug]);
  if (!rows[0]) throw new Error(`no tenant ${slug}`);
  return rows[0].id;
}

/** Writes a bundle with the real exporter. */
export async function exportTo(
  pool: pg.Pool,
  tables: TableSpec[],
  dir: string,
  name: string,
  request: Partial<ExportRequest> & Pick<ExportRequest, 'scope'>,
): Promise<string> {
  const path = join(dir, name);
  await exportBundle(pool, normaliseExport({ format: 'json', ...request }), createWriteStream(path), { tables, countRows: false });
  return path;
}

export const fakeBackup: PreImportBackup = () => Promise.resolve({ backupId: 'test-backup' });

/** The fields of an import request (checked by normaliseImport, as the service does), by whom. */
export type RunRequest = Omit<Partial<ImportRequest>, 'targetTenantId'> & {
  targetTenantId?: string | null;
  actor?: { role: Role; tenantId: string | null };
  source?: ImportSource;
};

export async function run(pool: pg.Pool, path: string, request: RunRequest, hooks: Partial<ImportHooks> = {}): Promise<ImportOutcome> {
  const { actor = SYSTEM_ADMIN, source, targetTenantId, ...fields } = request;
  const selection = normaliseImport({ scope: 'tenant', strategy: 'merge', dryRun: false, ...fields, targetTenantId: targetTenantId ?? undefined });
  return importBundle(
    pool,
    path,
    { ...selection, actor, ...(source ? { source } : {}) },
    {
      preImportBackup: fakeBackup,
      tables: await offlineDomainTables(),
      ...hooks,
    },
  );
}

/** Every row of every domain table by id (whole-row text): for before/after comparisons. */
export async function snapshot(pool: pg.Pool, tables: string[] = DOMAIN_TABLES): Promise<Record<string, Map<string, string>>> {
  const out: Record<string, Map<string, string>> = {};
  for (const table of tables) {
    const { rows } = await pool.query<{ id: string; row: string }>(`SELECT t.id::text AS id, t::text AS row FROM "${table}" t`);
    out[table] = new Map(rows.map((r) => [r.id, r.row]));
  }
  return out;
}

/** What changed between two snapshots, per table: rows added, changed, removed. */
export function changes(
  before: Record<string, Map<string, string>>,
  after: Record<string, Map<string, string>>,
): Record<string, { insert: number; update: number; delete: number }> {
  const out: Record<string, { insert: number; update: number; delete: number }> = {};
  for (const table of Object.keys(before)) {
    const b = before[table];
    const a = after[table];
    let insert = 0;
    let update = 0;
    let remove = 0;
    for (const [id, row] of a) {
      if (!b.has(id)) insert++;
      else if (b.get(id) !== row) update++;
    }
    for (const id of b.keys()) if (!a.has(id)) remove++;
    out[table] = { insert, update, delete: remove };
  }
  return out;
}
