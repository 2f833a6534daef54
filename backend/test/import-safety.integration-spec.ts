import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { uuidFrom } from '../src/database/seed/deterministic.js';
import { exportBundle } from '../src/transfer/export/export-bundle.js';
import { normaliseExport } from '../src/transfer/export/export-selection.js';
import { offlineDomainTables } from '../src/database/offline-tables.js';
import type { TableSpec } from '../src/transfer/table-graph.js';
import { readJsonBundle, writeBundle } from './support/bundle-files.js';
import { ADVISORY_LOCKS, killAndWaitForRollback, startChild } from './support/child-process.js';
import { count, run, tableChecksums, tenantId, testPool } from './support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/** What must never happen: half an import, two imports interleaved, a crash leaving traces. */
describe('import safety', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let dir: string;
  let tables: TableSpec[];
  let northside: string;
  let harbor: string;
  /** A northside bundle that changes the first table (tenants), sets in the middle, and the last table. */
  let changingBundle: string;
  let harborBundle: string;
  let fullBundle: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = testPool(db.url, 10);
    dir = await mkdtemp(join(tmpdir(), 'rythm-import-safety-'));
    tables = await offlineDomainTables();
    northside = await tenantId(pool, 'northside');
    harbor = await tenantId(pool, 'harbor');
    const exported = join(dir, 'northside.json');
    await exportBundle(pool, normaliseExport({ scope: 'tenant', tenantId: northside, format: 'json', includeCredentials: true }), createWriteStream(exported), {
      tables,
    });
    const bundle = await readJsonBundle(exported, tables);
    bundle.rows.tenants[0].name = 'Northside (imported)';
    for (const set of bundle.rows.sets.slice(0, 100)) set.notes = 'rewritten by the import';
    for (const assignment of bundle.rows.program_assignments) assignment.status = 'cancelled';
    bundle.rows.sessions.splice(0, 1);
    changingBundle = await writeBundle(join(dir, 'changing.json'), {
      ...bundle,
      rows: { ...bundle.rows, sets: bundle.rows.sets.filter((s) => bundle.rows.sessions.some((x) => x.id === s.session_id)) },
    });
    harborBundle = join(dir, 'harbor.json');
    await exportBundle(
      pool,
      normaliseExport({ scope: 'tenant', tenantId: harbor, format: 'json', includeCredentials: true }),
      createWriteStream(harborBundle),
      { tables },
    );
    fullBundle = join(dir, 'full.sql');
    await exportBundle(pool, normaliseExport({ scope: 'full', format: 'sql', includeCredentials: true }), createWriteStream(fullBundle), { tables });
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('rolls every earlier table back when the last table fails during apply', async () => {
    // A constraint the validation does not know about makes the last table's UPDATE fail.
    await pool.query(`ALTER TABLE program_assignments ADD CONSTRAINT test_no_cancel CHECK (status <> 'cancelled') NOT VALID`);
    try {
      const before = await tableChecksums(pool);
      const dry = await run(pool, changingBundle, { strategy: 'replace', dryRun: true });
      expect(dry.failure).toBeNull();
      const order = dry.report.plan.filter((p) => p.insert + p.update + p.delete > 0).map((p) => p.table);
      expect(order[0]).toBe('tenants');
      expect(order.at(-1)).toBe('program_assignments');
      await expect(run(pool, changingBundle, { strategy: 'replace' })).rejects.toMatchObject({
        code: 'CONFLICT',
        message: expect.stringContaining('test_no_cancel'),
      });
      expect(await tableChecksums(pool)).toEqual(before);
    } finally {
      await pool.query(`ALTER TABLE program_assignments DROP CONSTRAINT test_no_cancel`);
    }
  });

  it('leaves the database as before when the importing process is SIGKILLed mid-apply, and frees the lock', async () => {
    const before = await tableChecksums(pool);
    const { process: proc, line: applying } = await startChild('import-child.ts', [db.url, changingBundle, 'replace'], 'APPLYING');
    expect(applying).toMatch(/^APPLYING /);
    // Mid-apply: the child's transaction is open, holding the tenant lock, with writes done.
    expect(
      await count(
        pool,
        `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND backend_xid IS NOT NULL`,
      ),
    ).toBe(1);
    expect(await count(pool, `${ADVISORY_LOCKS} AND granted`)).toBeGreaterThanOrEqual(1);
    // PostgreSQL sees the connection close and rolls the transaction back.
    await killAndWaitForRollback(proc, pool);
    expect(await tableChecksums(pool)).toEqual(before);
    const after = await run(pool, changingBundle, { strategy: 'replace', dryRun: true }, { limits: { lockTimeoutMs: 1000 } });
    expect(after.failure).toBeNull();
  });

  it('stops when cancelled: during the backup, during validation, and before reading; nothing is written', async () => {
    const before = await tableChecksums(pool);
    const reason = new Error('cancelled by the test');
    const duringBackup = new AbortController();
    await expect(
      run(
        pool,
        changingBundle,
        { strategy: 'replace' },
        {
          signal: duringBackup.signal,
          preImportBackup: () => {
            duringBackup.abort(reason);
            return Promise.resolve({ backupId: 'cancelled' });
          },
        },
      ),
    ).rejects.toBe(reason);
    const duringStatement = new AbortController();
    const slow = run(
      pool,
      changingBundle,
      { strategy: 'replace' },
      {
        signal: duringStatement.signal,
        onProgress: (progress) => {
          if (progress.phase === 'planning') setTimeout(() => duringStatement.abort(reason), 1);
        },
      },
    );
    await expect(slow).rejects.toBe(reason);
    const whileReading = new AbortController();
    whileReading.abort(reason);
    await expect(run(pool, changingBundle, { strategy: 'replace' }, { signal: whileReading.signal })).rejects.toBe(reason);
    expect(await tableChecksums(pool)).toEqual(before);
    expect(
      await count(
        pool,
        `SELECT count(*) AS n FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND locktype = 'advisory'`,
      ),
    ).toBe(0);
  });

  describe('two imports into one tenant never interleave', () => {
    /** Starts an import that stops inside its transaction (holding the lock) until released. */
    function heldImport(path: string) {
      let release!: () => void;
      let entered!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const result = run(
        pool,
        path,
        { strategy: 'merge' },
        {
          preImportBackup: async () => {
            entered();
            await gate;
            return { backupId: 'held' };
          },
        },
      );
      return { result, inside, release };
    }

    it('refuses the second with TENANT_BUSY once IMPORT_LOCK_TIMEOUT_MS has passed', async () => {
      const first = heldImport(changingBundle);
      await first.inside;
      await new Promise((r) => setTimeout(r, 0));
      const started = Date.now();
      await expect(run(pool, changingBundle, { strategy: 'merge' }, { limits: { lockTimeoutMs: 400 } })).rejects.toMatchObject({
        code: 'TENANT_BUSY',
        message: expect.stringContaining('Another import or restore is running for this tenant'),
      });
      expect(Date.now() - started).toBeGreaterThanOrEqual(350);
      // A dry run takes the lock too: its plan is then exactly what would be applied.
      await expect(run(pool, changingBundle, { strategy: 'merge', dryRun: true }, { limits: { lockTimeoutMs: 200 } })).rejects.toMatchObject({
        code: 'TENANT_BUSY',
      });
      first.release();
      expect((await first.result).report.applied).toBe(true);
    });

    it('lets the second wait, then plan against what the first committed', async () => {
      const bundle = await readJsonBundle(changingBundle, tables);
      const extra = { ...bundle.rows.program_assignments[0], id: uuidFrom('test:waiting-assignment') };
      bundle.rows.program_assignments.push(extra);
      bundle.rows.program_assignments.sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
      const path = await writeBundle(join(dir, 'waiting.json'), bundle);
      const first = heldImport(path);
      await first.inside;
      let secondDone = false;
      const second = run(pool, path, { strategy: 'merge' }, { limits: { lockTimeoutMs: 20_000 } }).finally(() => (secondDone = true));
      await new Promise((r) => setTimeout(r, 700));
      expect(secondDone).toBe(false);
      first.release();
      const [a, b] = [await first.result, await second];
      expect(a.report.plan.find((p) => p.table === 'program_assignments')!.insert).toBe(1);
      // The second validated after the first committed: the row it would add is already there.
      expect(b.report.plan.find((p) => p.table === 'program_assignments')!.insert).toBe(0);
      expect(b.report.plan.every((p) => p.insert + p.update + p.delete === 0)).toBe(true);
    });

    it('does not hold up an import into another tenant, but a full import waits for both', async () => {
      const first = heldImport(changingBundle);
      await first.inside;
      try {
        const other = await run(pool, harborBundle, { strategy: 'merge', dryRun: true }, { limits: { lockTimeoutMs: 1000 } });
        expect(other.failure).toBeNull();
        await expect(run(pool, fullBundle, { scope: 'full', strategy: 'merge', dryRun: true }, { limits: { lockTimeoutMs: 300 } })).rejects.toMatchObject({
          code: 'TENANT_BUSY',
          message: expect.stringContaining('global data'),
        });
      } finally {
        first.release();
        await first.result;
      }
    });
  });
});
