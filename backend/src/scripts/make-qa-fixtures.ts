import 'reflect-metadata';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { pgPool } from '../common/pg-pool.js';
import { dataSourceOptions } from '../database/data-source.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';
import { prng } from '../database/seed/deterministic.js';
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
 * Every user of the QA fixtures has this password (README, QA section): the bundles are
 * sign-in ready. It is public, so the fixtures belong on QA and development instances only;
 * the loader can set another one (`--password`). Importing a bundle with credentials takes a
 * system admin (docs/security.md).
 */
export const QA_PASSWORD = 'rythm-qa';
const BCRYPT_COST = 10;
const BCRYPT_ALPHABET = './ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A bcrypt hash of QA_PASSWORD whose salt comes from the seed: the same bytes on every rebuild. */
function qaPasswordHash(name: string): string {
  const rand = prng(SEED + [...name].reduce((n, c) => n * 31 + c.charCodeAt(0), 0));
  // 22 salt characters; the last one carries only 2 bits, so it is one of the four bcrypt accepts as written.
  const salt = Array.from({ length: 21 }, () => BCRYPT_ALPHABET[Math.floor(rand() * 64)]).join('') + '.Oeu'[Math.floor(rand() * 4)];
  return bcrypt.hashSync(QA_PASSWORD, `$2b$${BCRYPT_COST}$${salt}`);
}

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
      const passwordHash = qaPasswordHash(name);
      if (!bcrypt.compareSync(QA_PASSWORD, passwordHash)) throw new Error(`the QA password hash of ${name} does not verify`);
      const { tenantId } = await generateSyntheticTenant(pgPool(dataSource), { seed: SEED, slug: `qa-${name}`, name: `QA ${name}`, size, passwordHash });
      const path = join(outDir, `${name}.json`);
      const outcome = await exportBundle(
        pgPool(dataSource),
        normaliseExport({ scope: 'tenant', tenantId, format: 'json', includeCredentials: true }),
        createWriteStream(path),
        {
          tables: domainTables(dataSource),
          now: CREATED_AT,
        },
      );
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
