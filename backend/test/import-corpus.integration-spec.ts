import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type pg from 'pg';
import type { BundleError } from '../src/shared/api-types.js';
import { offlineDomainTables } from '../src/database/offline-tables.js';
import type { ImportOutcome } from '../src/transfer/import/import-types.js';
import type { TableSpec } from '../src/transfer/table-graph.js';
import { csvFiles, zipOf } from './support/bundle-builder.js';
import { EDGE_NAME, EDGE_TEXT, type ExpectedOutcome, fixtureTenant, NORTHSIDE } from './support/fixture-bundles.js';
import { ids } from './support/fixture-tenant.js';
import { exportTo, orgAdmin, run, SYSTEM_ADMIN, tableChecksums, testPool } from './support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * The committed corpus (test/fixtures/import, written by test/support/make-import-fixtures.ts): every
 * bad bundle fails with its location and leaves every table as it was; every good one is valid
 * with the expected plan. Decompression bombs are made here, at test time.
 */
const ROOT = join(import.meta.dirname, 'fixtures', 'import');
const corpus = (dir: 'ok' | 'not-ok') =>
  readdirSync(join(ROOT, dir))
    .filter((name) => !name.endsWith('.expected.json'))
    .sort()
    .map((name) => ({
      name,
      path: join(ROOT, dir, name),
      expected: JSON.parse(readFileSync(join(ROOT, dir, `${name}.expected.json`), 'utf8')) as ExpectedOutcome,
    }));

function expectErrors(outcome: ImportOutcome, expected: BundleError[]): void {
  for (const want of expected) {
    const found = outcome.report.errors.find(
      (e) => e.table === want.table && e.rowId === want.rowId && e.field === want.field && e.message.includes(want.message),
    );
    expect({ missing: want, found: found ? 'yes' : outcome.report.errors }).toEqual({ missing: want, found: 'yes' });
  }
}

describe('import corpus (test/fixtures/import)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let dir: string;
  let tables: TableSpec[];
  let before: Record<string, string>;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = testPool(db.url);
    dir = await mkdtemp(join(tmpdir(), 'rythm-corpus-'));
    tables = await offlineDomainTables();
    before = await tableChecksums(pool);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const importAs = (path: string, expected: ExpectedOutcome, dryRun = false, limits = {}) =>
    run(
      pool,
      path,
      {
        scope: expected.scope ?? 'tenant',
        strategy: expected.strategy,
        targetTenantId: expected.targetTenantId ?? null,
        dryRun,
        actor: expected.actor === 'northside-admin' ? orgAdmin(NORTHSIDE) : SYSTEM_ADMIN,
      },
      { limits },
    );

  it('has a fixture for every kind of bad input the brief lists', () => {
    const names = corpus('not-ok').map((f) => f.name);
    for (const name of [
      'truncated.json.gz',
      'malformed.json',
      'wrong-type.json',
      'unknown-table.json',
      'unknown-column.json',
      'duplicate-id.json',
      'missing-reference.json',
      'foreign-row-id.json',
      'other-tenant.json',
      'checksum-mismatch.json',
      'newer-schema.json',
      'extra-statement.sql',
      'proto-key.json',
      'lone-high-surrogate.json',
      'lone-low-surrogate.json',
      'reversed-surrogate-pair.json',
      'invalid-utf8.json',
      'invalid-utf8.sql',
      'invalid-utf8.zip',
    ]) {
      expect(names).toContain(name);
    }
  });

  describe.each(corpus('not-ok'))('not-ok/$name', ({ path, expected }) => {
    it(`fails with ${expected.code} and its location, and changes nothing`, async () => {
      const outcome = await importAs(path, expected);
      expect(outcome.failure?.code).toBe(expected.code);
      expect(outcome.report.valid).toBe(false);
      expect(outcome.report.applied).toBe(false);
      expectErrors(outcome, expected.errors);
      expect(await tableChecksums(pool)).toEqual(before);
      // The job keeps the report as jsonb, which refuses NUL and lone surrogates: no bundle text may reach it raw.
      await expect(pool.query('SELECT $1::jsonb AS report', [JSON.stringify(outcome.report)])).resolves.toMatchObject({ rowCount: 1 });
    });
  });

  describe.each(corpus('ok'))('ok/$name', ({ path, expected }) => {
    it('is valid, plans as expected, and a dry run changes nothing', async () => {
      const outcome = await importAs(path, expected, true);
      expect(outcome.report.errors).toEqual([]);
      expect(outcome.failure).toBeNull();
      expect(outcome.report.plan).toEqual(expected.plan);
      expect(await tableChecksums(pool)).toEqual(before);
    });
  });

  describe('text round trip (ok/text-edge-cases.*, each imported for real into a fresh database)', () => {
    it.each(corpus('ok').filter((f) => f.name.startsWith('text-edge-cases')))(
      '$name: every text is stored and exported exactly as written',
      async ({ name, path }) => {
        const fresh = await createTestDatabase();
        const freshPool = testPool(fresh.url);
        try {
          const outcome = await run(freshPool, path, { strategy: 'merge', actor: SYSTEM_ADMIN });
          expect(outcome.report.errors).toEqual([]);
          expect(outcome.report.applied).toBe(true);
          const { rows } = await freshPool.query<{ description: string; last_name: string }>(
            `SELECT p.description, u.last_name FROM programs p, users u WHERE p.id = $1 AND u.id = $2`,
            [ids.program, ids.athlete],
          );
          expect(rows).toEqual([{ description: EDGE_TEXT, last_name: EDGE_NAME }]);
          const exported = await readFile(await exportTo(freshPool, tables, dir, `${name}.export.json`, { scope: 'tenant', tenantId: ids.tenant }), 'utf8');
          expect(exported).toContain(JSON.stringify(EDGE_TEXT));
          expect(exported).toContain(JSON.stringify(EDGE_NAME));
        } finally {
          await freshPool.end();
          await fresh.drop();
        }
      },
    );
  });

  describe('decompression bombs (made at test time)', () => {
    const limits = { maxDecompressedBytes: 16 * 1024 * 1024, maxCompressionRatio: 200 };
    const expectRefused = async (name: string, data: Buffer, message: string, testLimits = limits) => {
      const path = join(dir, name);
      await writeFile(path, data);
      const started = Date.now();
      const outcome = await importAs(
        path,
        { actor: 'system-admin', strategy: 'merge', code: 'INVALID_BUNDLE', errors: [], description: '' },
        false,
        testLimits,
      );
      expect(outcome.failure?.code).toBe('INVALID_BUNDLE');
      expect(outcome.report.errors.map((e) => e.message).join('\n')).toContain(message);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await tableChecksums(pool)).toEqual(before);
    };

    it('stops a gzip bomb at MAX_DECOMPRESSED_MB', async () => {
      // 64 MB of spaces after "{": valid JSON so far, so only the size limit can stop it.
      const bomb = gzipSync(Buffer.concat([Buffer.from('{'), Buffer.alloc(64 * 1024 * 1024, 0x20)]));
      await expectRefused('bomb.json.gz', bomb, 'expands to more than 16 MB (MAX_DECOMPRESSED_MB)', { ...limits, maxCompressionRatio: 100_000 });
    });

    it('stops a gzip bomb at MAX_COMPRESSION_RATIO', async () => {
      const bomb = gzipSync(Buffer.concat([Buffer.from('{'), Buffer.alloc(8 * 1024 * 1024, 0x20)]));
      await expectRefused('ratio.json.gz', bomb, 'expands more than 200 times (MAX_COMPRESSION_RATIO)');
    });

    it('refuses a zip bomb from its declared sizes before inflating', async () => {
      const entries = csvFiles(fixtureTenant(tables));
      entries[1] = { name: entries[1].name, data: Buffer.concat([entries[1].data, Buffer.alloc(64 * 1024 * 1024, 0x0a)]) };
      await expectRefused('bomb.zip', zipOf(entries), 'expands');
    });

    it('stops a zip bomb that lies about its size while inflating', async () => {
      const entries = csvFiles(fixtureTenant(tables)).map((e, i) =>
        i === 1 ? { name: e.name, data: Buffer.concat([e.data, Buffer.alloc(64 * 1024 * 1024, 0x0a)]), declaredSize: e.data.length } : e,
      );
      await expectRefused('liar.zip', zipOf(entries), 'inflates to a different size than its header declares', { ...limits, maxCompressionRatio: 100_000 });
    });
  });
});
