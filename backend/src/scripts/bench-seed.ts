import { pgPool } from '../common/pg-pool.js';
import { sizeForSets, generateSyntheticTenant } from '../database/synthetic/synthetic-tenant.js';
import { argValue, openScriptDatabase } from './script-database.js';

/**
 * npm run bench:seed -- --sets 1000000 [--seed 42] [--slug bench-1m]
 * Creates one large synthetic tenant with COPY in the application's database (DATABASE_URL or
 * the embedded one in DATA_DIR). Deterministic from the seed.
 */
async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sets = Number(argValue(args, 'sets') ?? 1_000_000);
  const seed = Number(argValue(args, 'seed') ?? 42);
  if (!Number.isInteger(sets) || sets < 1) throw new Error('--sets must be a positive whole number');
  const slug = argValue(args, 'slug') ?? `bench-${sets}`;
  const db = await openScriptDatabase();
  try {
    const existing: unknown[] = await db.dataSource.query(`SELECT 1 FROM tenants WHERE slug = $1`, [slug]);
    if (existing.length) {
      console.log(`tenant ${slug} already exists: nothing to do`);
      return;
    }
    const started = Date.now();
    const size = sizeForSets(sets);
    const result = await generateSyntheticTenant(pgPool(db.dataSource), { seed, slug, name: `Benchmark ${sets} sets`, size }, (m) => console.log(m));
    const rows = Object.values(result.rowCounts).reduce((a, b) => a + b, 0);
    const seconds = (Date.now() - started) / 1000;
    console.log(JSON.stringify({ tenantId: result.tenantId, slug, rowCounts: result.rowCounts, seconds, rowsPerSecond: Math.round(rows / seconds) }));
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(`bench:seed failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
