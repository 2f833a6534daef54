import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { pgPool } from '../common/pg-pool.js';
import { dataSourceOptions } from '../database/data-source.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { generateSyntheticTenant, type SyntheticSize } from '../database/synthetic/synthetic-tenant.js';
import { domainTables } from '../transfer/domain-tables.js';
import { exportBundle, normaliseExport } from '../transfer/export/index.js';

/** The committed QA bundles: name → size. Changing one changes its file; rebuild and commit both. */
export const QA_FIXTURES: Record<string, SyntheticSize> = {
  small: { users: 6, sessions: 40, sets: 400, programs: 2 },
  medium: { users: 40, sessions: 600, sets: 6000, programs: 6 },
};
// A fixed clock and seed make the files byte-identical on every rebuild: they diff cleanly.
const CREATED_AT = new Date('2026-01-01T00:00:00Z');
const SEED = 20260101;

/**
 * npm run fixtures:generate — rebuilds e2e/fixtures/<name>.json from the deterministic generator
 * in a throw-away embedded PostgreSQL, exported by the real exporter (tenant scope, JSON).
 */
async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? new URL('../../../e2e/fixtures', import.meta.url).pathname);
  await mkdir(outDir, { recursive: true });
  const scratch = await mkdtemp(join(tmpdir(), 'rythm-fixtures-'));
  await chmod(scratch, 0o755);
  const server = await startEmbeddedPostgres(scratch, 54500 + Math.floor(Math.random() * 400));
  const dataSource = new DataSource(dataSourceOptions(server.url));
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    for (const [name, size] of Object.entries(QA_FIXTURES)) {
      const { tenantId } = await generateSyntheticTenant(pgPool(dataSource), { seed: SEED, slug: `qa-${name}`, name: `QA ${name}`, size });
      const path = join(outDir, `${name}.json`);
      const outcome = await exportBundle(pgPool(dataSource), normaliseExport({ scope: 'tenant', tenantId, format: 'json' }), createWriteStream(path), {
        tables: domainTables(dataSource),
        now: CREATED_AT,
      });
      console.log(`${path}: ${JSON.stringify(outcome.summary.rowCounts)}`);
    }
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await server.stop();
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`fixtures:generate failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
