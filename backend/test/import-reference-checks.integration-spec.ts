import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { offlineDomainTables } from '../src/database/offline-tables.js';
import type { TableSpec } from '../src/transfer/table-graph.js';
import { readJsonBundle, writeBundle } from './support/bundle-files.js';
import { exportTo, run, tableChecksums, tenantId, testPool } from './support/import-helpers.js';
import { adminQuery, createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * The apply step checks references set-wise and skips the per-row foreign-key triggers only when
 * that is as safe as the triggers (src/transfer/import/row-triggers.ts); otherwise the database
 * checks every row. Both ways must end with the same rows.
 */
describe('import reference checks: set-based or per-row', () => {
  let source: TestDatabase;
  let sourcePool: pg.Pool;
  let dir: string;
  let tables: TableSpec[];
  let northside: string;
  let bundle: string;
  const targets: TestDatabase[] = [];
  const pools: pg.Pool[] = [];

  const emptyTarget = async (user?: { name: string; password: string }) => {
    const db = await createTestDatabase({ seed: false });
    targets.push(db);
    const url = user ? db.url.replace(/\/\/[^@]*@/, `//${user.name}:${user.password}@`) : db.url;
    const pool = testPool(url, 4);
    pools.push(pool);
    return { db, pool };
  };

  beforeAll(async () => {
    source = await createTestDatabase();
    sourcePool = testPool(source.url, 4);
    dir = await mkdtemp(join(tmpdir(), 'rythm-reference-checks-'));
    tables = await offlineDomainTables();
    northside = await tenantId(sourcePool, 'northside');
    bundle = await exportTo(sourcePool, tables, dir, 'northside.json', { scope: 'tenant', tenantId: northside, includeCredentials: true });
  });
  afterAll(async () => {
    for (const pool of [sourcePool, ...pools]) await pool.end();
    for (const db of [source, ...targets]) await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('imports a whole tenant with set-based checks, the same rows as per-row checks give', async () => {
    const fast = await emptyTarget();
    const outcome = await run(fast.pool, bundle, { strategy: 'replace' });
    expect(outcome.failure).toBeNull();
    expect(outcome.stats.referenceChecks).toBe('set-based');

    // Any trigger the import does not know must run on every row: then nothing is skipped.
    const slow = await emptyTarget();
    await slow.pool.query(`CREATE TABLE seen_sets (id uuid);
      CREATE FUNCTION note_set() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO seen_sets VALUES (NEW.id); RETURN NEW; END $$;
      CREATE TRIGGER note_set AFTER INSERT ON sets FOR EACH ROW EXECUTE FUNCTION note_set()`);
    const checked = await run(slow.pool, bundle, { strategy: 'replace' });
    expect(checked.failure).toBeNull();
    expect(checked.stats).toMatchObject({ referenceChecks: 'per-row', perRowReason: expect.stringContaining('note_set') });
    const sets = await slow.pool.query<{ n: string }>(`SELECT count(*) AS n FROM seen_sets`);
    expect(Number(sets.rows[0].n)).toBeGreaterThan(1000);

    expect(await tableChecksums(fast.pool)).toEqual(await tableChecksums(slow.pool));
  });

  it('checks every row when the database role may not turn the triggers off', async () => {
    const role = { name: `rythm_limited_${randomBytes(4).toString('hex')}`, password: 'limited-test' };
    await adminQuery(`CREATE ROLE ${role.name} LOGIN PASSWORD '${role.password}'`);
    try {
      const target = await emptyTarget(role);
      await adminQuery(`GRANT CONNECT, TEMPORARY ON DATABASE "${target.db.name}" TO ${role.name}`);
      const owner = testPool(target.db.url, 1);
      try {
        await owner.query(`GRANT USAGE ON SCHEMA public TO ${role.name}; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role.name}`);
      } finally {
        await owner.end();
      }
      const outcome = await run(target.pool, bundle, { strategy: 'replace' });
      expect(outcome.failure).toBeNull();
      expect(outcome.stats).toMatchObject({ referenceChecks: 'per-row', perRowReason: expect.stringContaining('session_replication_role') });
      const reference = await emptyTarget();
      expect((await run(reference.pool, bundle, { strategy: 'replace' })).stats.referenceChecks).toBe('set-based');
      expect(await tableChecksums(target.pool)).toEqual(await tableChecksums(reference.pool));
    } finally {
      for (const pool of pools.splice(0)) await pool.end();
      for (const db of targets.splice(0)) await db.drop();
      await adminQuery(`DROP ROLE IF EXISTS ${role.name}`);
    }
  });

  it('rolls back as a conflict when another transaction deletes a referenced row after validation', async () => {
    const target = await emptyTarget();
    expect((await run(target.pool, bundle, { strategy: 'replace' })).failure).toBeNull();
    // A global exercise that only the bundle will reference: nothing else stops its deletion.
    const { rows } = await target.pool.query<{ id: string }>(
      `INSERT INTO exercises (id, tenant_id, name, category) VALUES (gen_random_uuid(), NULL, 'Deleted meanwhile', 'strength') RETURNING id`,
    );
    const lonely = rows[0].id;
    const logical = await readJsonBundle(bundle, tables);
    logical.rows.sets[0].exercise_id = lonely;
    const edited = await writeBundle(join(dir, 'edited.json'), logical);
    const before = await tableChecksums(target.pool);

    // The pre-import backup runs after validation and before the writes: the deletion lands between.
    const deleteMeanwhile = async () => {
      await target.pool.query(`DELETE FROM exercises WHERE id = $1`, [lonely]);
      return { backupId: 'test-backup' };
    };
    await expect(run(target.pool, edited, { strategy: 'merge' }, { preImportBackup: deleteMeanwhile })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining('deleted by another transaction after validation'),
    });
    const after = await tableChecksums(target.pool);
    expect({ ...after, exercises: '' }).toEqual({ ...before, exercises: '' });
    expect(await target.pool.query(`SELECT 1 FROM sets WHERE exercise_id = $1`, [lonely]).then((r) => r.rowCount)).toBe(0);
  });
});
