import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { uuidFrom } from '../src/database/seed/deterministic.js';
import type { ExportFormat, ExportRequest, ImportStrategy, TablePlan } from '../src/shared/api-types.js';
import { exportBundle } from '../src/transfer/export/export-bundle.js';
import { normaliseExport } from '../src/transfer/export/export-selection.js';
import { offlineDomainTables } from '../src/database/offline-tables.js';
import type { TableSpec } from '../src/transfer/table-graph.js';
import type { LogicalBundle, Row } from './support/bundle-builder.js';
import { readJsonBundle, writeBundle } from './support/bundle-files.js';
import { changes, count, DOMAIN_TABLES, orgAdmin, rowTexts, run, snapshot, tableChecksums, tenantId, testPool } from './support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

/**
 * The import engine against a real PostgreSQL: round trips through every encoding, the strategy
 * table, dry runs, clones, absent columns and the global-data rules.
 */
describe('importBundle', () => {
  let source: TestDatabase;
  let sourcePool: pg.Pool;
  let dir: string;
  let tables: TableSpec[];
  let northside: string;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    source = await createTestDatabase();
    sourcePool = testPool(source.url);
    dir = await mkdtemp(join(tmpdir(), 'rythm-import-engine-'));
    tables = await offlineDomainTables();
    northside = await tenantId(sourcePool, 'northside');
  });
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await sourcePool.end();
    await source.drop();
    await rm(dir, { recursive: true, force: true });
  });

  /** A fresh database (empty or seeded) and its pool, dropped after the suite. */
  async function database(seed: boolean): Promise<pg.Pool> {
    const db = await createTestDatabase({ seed });
    const pool = testPool(db.url);
    cleanups.push(async () => {
      await pool.end();
      await db.drop();
    });
    return pool;
  }

  let fileCounter = 0;
  async function exportFrom(pool: pg.Pool, request: ExportRequest) {
    const path = join(dir, `export-${++fileCounter}`);
    const outcome = await exportBundle(pool, normaliseExport(request), createWriteStream(path), { tables, countRows: false });
    return { path, outcome };
  }

  describe('round trip: export → import into an empty database → equal rows → export again → same bundle', () => {
    const cases: [ExportFormat, boolean][] = [
      ['json', false],
      ['json', true],
      ['sql', false],
      ['sql', true],
      ['csv', false],
    ];
    it.each(cases)('tenant scope, %s (gzip: %s)', async (format, compress) => {
      const request: ExportRequest = { scope: 'tenant', tenantId: northside, format, compress, includeCredentials: true };
      const first = await exportFrom(sourcePool, request);
      const target = await database(false);
      const outcome = await run(target, first.path, { strategy: 'replace' });
      expect(outcome.failure).toBeNull();
      expect(outcome.report.applied).toBe(true);
      const rows = Object.values(first.outcome.summary.rowCounts).reduce((a, b) => a + b, 0);
      expect(outcome.stats.rowsRead).toBe(rows);
      expect(rows).toBeGreaterThan(5000);

      for (const table of DOMAIN_TABLES) {
        // Everything in the target came from the bundle: compare it with the same ids in the source.
        const inTarget = await rowTexts(target, table);
        const ids = (await target.query<{ id: string }>(`SELECT id::text AS id FROM "${table}"`)).rows.map((r) => r.id);
        expect({ table, rows: inTarget }).toEqual({ table, rows: await rowTexts(sourcePool, table, 'id = ANY($1)', [ids]) });
        expect(inTarget.length).toBe(first.outcome.summary.rowCounts[table] ?? 0);
      }
      const second = await exportFrom(target, request);
      expect(second.outcome.summary).toEqual(first.outcome.summary);
    });

    it('full scope, sql.gz with credentials: every domain table ends equal', async () => {
      const request: ExportRequest = { scope: 'full', format: 'sql', compress: true, includeCredentials: true };
      const first = await exportFrom(sourcePool, request);
      const target = await database(false);
      const outcome = await run(target, first.path, { scope: 'full', strategy: 'replace' });
      expect(outcome.failure).toBeNull();
      expect(await tableChecksums(target)).toEqual(await tableChecksums(sourcePool));
      const second = await exportFrom(target, request);
      expect(second.outcome.summary).toEqual(first.outcome.summary);
    });

    it('global scope, csv: the library loads into an empty database', async () => {
      const request: ExportRequest = { scope: 'global', format: 'csv' };
      const first = await exportFrom(sourcePool, request);
      const target = await database(false);
      const outcome = await run(target, first.path, { scope: 'global', strategy: 'merge' });
      expect(outcome.failure).toBeNull();
      for (const table of ['equipment', 'exercises', 'exercise_templates']) {
        expect(await rowTexts(target, table)).toEqual(await rowTexts(sourcePool, table, table === 'equipment' ? 'TRUE' : 'tenant_id IS NULL'));
      }
    });
  });

  describe('strategies: new, changed, unchanged and missing rows', () => {
    const newSession = uuidFrom('test:new-session');
    const newSet = uuidFrom('test:new-set');
    let bundlePath: string;
    let changedSet: Row;
    let missingSet: Row;
    let changedUser: Row;
    let missingAssignment: Row;

    beforeAll(async () => {
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json', includeCredentials: true });
      const bundle: LogicalBundle = await readJsonBundle(exported.path, tables);
      const sets = bundle.rows.sets;
      changedSet = { ...sets[10], reps: Number(sets[10].reps ?? 0) + 1, updated_at: '2030-01-01T00:00:00+00:00' };
      sets[10] = changedSet;
      missingSet = sets.splice(20, 1)[0];
      const users = bundle.rows.users;
      const index = users.findIndex((u) => u.role === 'athlete');
      changedUser = { ...users[index], first_name: 'Renamed', updated_at: '2030-01-01T00:00:00+00:00' };
      users[index] = changedUser;
      missingAssignment = bundle.rows.program_assignments.splice(0, 1)[0];
      const session = bundle.rows.sessions[0];
      bundle.rows.sessions.push({ ...session, id: newSession, notes: 'brand new', completed_at: null });
      bundle.rows.sessions.sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
      sets.push({ ...sets[0], id: newSet, session_id: newSession, set_index: 0 });
      sets.sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
      bundlePath = await writeBundle(join(dir, 'strategies.json'), bundle);
    });

    const zero = (table: string): TablePlan => ({ table, insert: 0, update: 0, unchanged: 0, delete: 0, skip: 0 });
    const expectedPlans: Record<ImportStrategy, Record<string, Partial<TablePlan>>> = {
      replace: { sessions: { insert: 1 }, sets: { insert: 1, update: 1, delete: 1 }, users: { update: 1 }, program_assignments: { delete: 1 } },
      merge: { sessions: { insert: 1 }, sets: { insert: 1, update: 1 }, users: { update: 1 } },
      skip: { sessions: { insert: 1 }, sets: { insert: 1, skip: 1 }, users: { skip: 1 } },
    };
    const endState: Record<ImportStrategy, { setChanged: boolean; userChanged: boolean; missingSetKept: boolean; missingAssignmentKept: boolean }> = {
      replace: { setChanged: true, userChanged: true, missingSetKept: false, missingAssignmentKept: false },
      merge: { setChanged: true, userChanged: true, missingSetKept: true, missingAssignmentKept: true },
      skip: { setChanged: false, userChanged: false, missingSetKept: true, missingAssignmentKept: true },
    };

    it.each(['replace', 'merge', 'skip'] as const)('%s: plans exactly, the dry run changes nothing, the real run does what was planned', async (strategy) => {
      const target = await database(true);
      const before = await snapshot(target);
      const sums = await tableChecksums(target);

      const dry = await run(target, bundlePath, { strategy, dryRun: true });
      expect(dry.failure).toBeNull();
      expect(await tableChecksums(target)).toEqual(sums);
      const changedTables = expectedPlans[strategy];
      for (const plan of dry.report.plan) {
        const totalInBundle = plan.insert + plan.update + plan.unchanged + plan.skip;
        const expected = { ...zero(plan.table), ...changedTables[plan.table] };
        expected.unchanged = totalInBundle - expected.insert - expected.update - expected.skip;
        expect(plan).toEqual(expected);
      }
      if (strategy !== 'skip') {
        expect(dry.report.sampleDiffs).toEqual(
          expect.arrayContaining([
            { table: 'sets', rowId: changedSet.id, field: 'reps', before: Number(changedSet.reps) - 1, after: changedSet.reps },
            { table: 'users', rowId: changedUser.id, field: 'first_name', before: expect.any(String), after: 'Renamed' },
          ]),
        );
      }

      const real = await run(target, bundlePath, { strategy });
      expect(real.failure).toBeNull();
      expect(real.report.applied).toBe(true);
      expect(real.report.backupId).toBe('test-backup');
      expect(real.report.plan).toEqual(dry.report.plan);
      const done = changes(before, await snapshot(target));
      for (const plan of real.report.plan)
        expect({ table: plan.table, ...done[plan.table] }).toEqual({ table: plan.table, insert: plan.insert, update: plan.update, delete: plan.delete });

      const state = endState[strategy];
      const [set] = (await target.query(`SELECT reps, updated_at FROM sets WHERE id = $1`, [changedSet.id])).rows as { reps: number; updated_at: Date }[];
      expect(set.reps === changedSet.reps && set.updated_at.toISOString() === '2030-01-01T00:00:00.000Z').toBe(state.setChanged);
      const [user] = (await target.query(`SELECT first_name FROM users WHERE id = $1`, [changedUser.id])).rows as { first_name: string }[];
      expect(user.first_name === 'Renamed').toBe(state.userChanged);
      expect(await count(target, `SELECT count(*) AS n FROM sets WHERE id = $1`, [missingSet.id])).toBe(state.missingSetKept ? 1 : 0);
      expect(await count(target, `SELECT count(*) AS n FROM program_assignments WHERE id = $1`, [missingAssignment.id])).toBe(
        state.missingAssignmentKept ? 1 : 0,
      );
      expect(await count(target, `SELECT count(*) AS n FROM sets WHERE id = $1 AND session_id = $2`, [newSet, newSession])).toBe(1);

      // Importing the same bundle again changes nothing: every row is now unchanged (or skipped).
      const again = await run(target, bundlePath, { strategy, dryRun: true });
      for (const plan of again.report.plan) expect(plan.insert + plan.update + plan.delete).toBe(0);
    });
  });

  describe('import as a new tenant (clone)', () => {
    it('loads one bundle three times side by side: independent tenants, equal content, no shared ids', async () => {
      const target = await database(true);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'sql', compress: true, includeCredentials: true });
      const clones: string[] = [];
      for (let i = 0; i < 3; i++) {
        const outcome = await run(target, exported.path, { asNewTenant: true, strategy: 'merge' });
        expect(outcome.failure).toBeNull();
        expect(outcome.report.targetTenantId).not.toBe(northside);
        clones.push(outcome.report.targetTenantId!);
      }
      expect(new Set(clones).size).toBe(3);
      const tenants = (await target.query<{ slug: string; name: string }>(`SELECT slug, name FROM tenants WHERE id = ANY($1) ORDER BY slug`, [clones])).rows;
      expect(tenants).toEqual([
        { slug: 'northside-copy', name: 'Northside Strength (copy)' },
        { slug: 'northside-copy-2', name: 'Northside Strength (copy 2)' },
        { slug: 'northside-copy-3', name: 'Northside Strength (copy 3)' },
      ]);
      const owned = ['exercises', 'exercise_templates', 'users', 'programs', 'workouts', 'sessions', 'sets', 'program_assignments'];
      // Content without ids: the same multiset of rows in every clone and in the original.
      const content = async (tenant: string, table: string) => {
        const spec = tables.find((t) => t.name === table)!;
        const idColumns = new Set(['id', 'tenant_id', ...spec.foreignKeys.map((fk) => fk.column)]);
        const columns = spec.columns.filter((c) => !idColumns.has(c.name)).map((c) => `"${c.name}"`);
        const { rows } = await target.query<{ row: string }>(`SELECT ROW(${columns.join(', ')})::text AS row FROM "${table}" WHERE tenant_id = $1 ORDER BY 1`, [
          tenant,
        ]);
        return rows.map((r) => r.row);
      };
      for (const table of owned) {
        const original = await content(northside, table);
        expect(original.length).toBeGreaterThan(0);
        for (const clone of clones) expect({ table, rows: await content(clone, table) }).toEqual({ table, rows: original });
      }
      // No id appears in two tenants, and every reference stays inside its own tenant.
      for (const table of owned) {
        expect(await count(target, `SELECT count(*) - count(DISTINCT id) AS n FROM "${table}"`)).toBe(0);
      }
      expect(await count(target, `SELECT count(*) AS n FROM sets s JOIN sessions x ON x.id = s.session_id WHERE x.tenant_id <> s.tenant_id`)).toBe(0);
      expect(
        await count(
          target,
          `SELECT count(*) AS n FROM sets s JOIN exercises e ON e.id = s.exercise_id WHERE e.tenant_id IS NOT NULL AND e.tenant_id <> s.tenant_id`,
        ),
      ).toBe(0);
      expect(await count(target, `SELECT count(*) AS n FROM programs p JOIN users u ON u.id = p.created_by WHERE u.tenant_id <> p.tenant_id`)).toBe(0);
      // Emails repeat across the clones (unique per tenant), and the original is untouched.
      expect(await count(target, `SELECT count(DISTINCT tenant_id) AS n FROM users WHERE email = 'admin@northside.example'`)).toBe(4);
    });

    it("reports a clone's duplicate ids and dangling references by the ids the bundle wrote, and writes nothing", async () => {
      const target = await database(true);
      const before = await tableChecksums(target);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json' });
      const bundle = await readJsonBundle(exported.path, tables);
      const [first, second] = bundle.rows.sets;
      const twin = { ...second, id: first.id };
      const dangling = uuidFrom('clone-dangling-session');
      bundle.rows.sets = [...bundle.rows.sets, twin];
      bundle.rows.sets[1] = { ...second, session_id: dangling };
      const path = await writeBundle(join(dir, 'clone-errors.json'), bundle);

      const outcome = await run(target, path, { asNewTenant: true, strategy: 'merge' });
      expect(outcome.failure?.code).toBe('VALIDATION_FAILED');
      expect(outcome.report.errors).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ table: 'sets', rowId: first.id, field: 'id', message: expect.stringContaining('appears 2 times') }),
          expect.objectContaining({ table: 'sets', rowId: second.id, field: 'session_id', message: expect.stringContaining(`sessions ${dangling}`) }),
        ]),
      );
      expect(await tableChecksums(target)).toEqual(before);
    });

    it('takes the requested name and slug, and refuses a slug that is taken', async () => {
      const target = await database(true);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json' });
      const named = await run(target, exported.path, { asNewTenant: true, newTenantName: 'QA run 7', newTenantSlug: 'qa-run-7' });
      expect(named.failure).toBeNull();
      expect((await target.query(`SELECT name FROM tenants WHERE slug = 'qa-run-7'`)).rows).toEqual([{ name: 'QA run 7' }]);
      const taken = await run(target, exported.path, { asNewTenant: true, newTenantSlug: 'harbor' });
      expect(taken.failure?.code).toBe('VALIDATION_FAILED');
      expect(taken.report.errors).toEqual([
        expect.objectContaining({ table: 'tenants', field: 'slug', message: expect.stringContaining('"harbor" would be used twice') }),
      ]);
    });
  });

  describe('columns, global data and access', () => {
    it('leaves a column the bundle lacks untouched on updates and null on inserts (users.password_hash)', async () => {
      const target = await database(true);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json' });
      const bundle = await readJsonBundle(exported.path, tables);
      expect(bundle.manifest.tables.find((t) => t.name === 'users')!.columns).not.toContain('password_hash');
      const admin = bundle.rows.users.find((u) => u.email === 'admin@northside.example')!;
      admin.first_name = 'Changed';
      const newcomer = { ...admin, id: uuidFrom('test:newcomer'), email: 'newcomer@northside.example', role: 'coach' };
      bundle.rows.users.push(newcomer);
      bundle.rows.users.sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
      const path = await writeBundle(join(dir, 'no-credentials.json'), bundle);
      const hashBefore = (await target.query(`SELECT password_hash FROM users WHERE id = $1`, [admin.id])).rows[0].password_hash as string;
      expect(hashBefore).toMatch(/^\$2/);
      const outcome = await run(target, path, { strategy: 'merge' });
      expect(outcome.failure).toBeNull();
      expect((await target.query(`SELECT first_name, password_hash FROM users WHERE id = $1`, [admin.id])).rows).toEqual([
        { first_name: 'Changed', password_hash: hashBefore },
      ]);
      expect((await target.query(`SELECT password_hash FROM users WHERE id = $1`, [newcomer.id])).rows).toEqual([{ password_hash: null }]);
      expect(outcome.report.sampleDiffs.some((d) => d.field === 'password_hash')).toBe(false);
    });

    it('never overwrites an existing global row from a tenant import (it is skipped), and adds missing ones', async () => {
      const target = await database(true);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json' });
      const bundle = await readJsonBundle(exported.path, tables);
      const barbell = bundle.rows.equipment.find((e) => e.name === 'Barbell')!;
      barbell.description = 'Rewritten by a tenant bundle';
      const before = await rowTexts(target, 'equipment');
      const path = await writeBundle(join(dir, 'global-changed.json'), bundle, 'sql');
      const outcome = await run(target, path, { strategy: 'replace' });
      expect(outcome.failure).toBeNull();
      expect(outcome.report.plan.find((p) => p.table === 'equipment')).toEqual(expect.objectContaining({ update: 0, skip: 1, delete: 0 }));
      expect(await rowTexts(target, 'equipment')).toEqual(before);
    });

    it("lets an org admin merge their own tenant's bundle", async () => {
      const target = await database(true);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'csv' });
      const outcome = await run(target, exported.path, { strategy: 'merge', actor: orgAdmin(northside) });
      expect(outcome.failure).toBeNull();
      expect(outcome.report.targetTenantId).toBe(northside);
    });

    it('refuses replace with an incremental bundle, and a replace that would orphan rows outside the bundle', async () => {
      const target = await database(true);
      const incremental = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json', modifiedSince: '2026-06-15T00:00:00Z' });
      const refused = await run(target, incremental.path, { strategy: 'replace' });
      expect(refused.report.errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field: 'strategy', message: expect.stringContaining('replace needs a complete bundle') })]),
      );
      const merged = await run(target, incremental.path, { strategy: 'merge', dryRun: true });
      expect(merged.failure).toBeNull();

      // A global replace without one exercise the tenants use: that exercise would be orphaned.
      const library = await exportFrom(sourcePool, { scope: 'global', format: 'json' });
      const bundle = await readJsonBundle(library.path, tables);
      const used = (await target.query<{ id: string }>(`SELECT exercise_id AS id FROM sets LIMIT 1`)).rows[0].id;
      bundle.rows.exercises = bundle.rows.exercises.filter((e) => e.id !== used);
      bundle.rows.exercise_templates = bundle.rows.exercise_templates.filter((t) => t.exercise_id !== used);
      const path = await writeBundle(join(dir, 'orphan.json'), bundle);
      const before = await tableChecksums(target);
      const orphan = await run(target, path, { scope: 'global', strategy: 'replace' });
      expect(orphan.failure?.code).toBe('VALIDATION_FAILED');
      expect(orphan.report.errors[0]).toEqual(
        expect.objectContaining({ table: 'exercises', rowId: used, field: 'id', message: expect.stringContaining('still references it') }),
      );
      expect(await tableChecksums(target)).toEqual(before);
    });

    it('reads CSV: "" stays the empty string, an empty cell is NULL, and errors name their line', async () => {
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json' });
      const bundle = await readJsonBundle(exported.path, tables);
      const sets = bundle.rows.sets;
      Object.assign(sets[0], { notes: '' });
      Object.assign(sets[1], { notes: null });
      Object.assign(sets[2], { notes: 'two\nlines, "quoted"' });
      const good = await writeBundle(join(dir, 'cells.zip'), bundle, 'csv');
      const target = await database(true);
      expect((await run(target, good, { strategy: 'merge' })).failure).toBeNull();
      const { rows } = await target.query<{ id: string; notes: string | null }>(`SELECT id::text AS id, notes FROM sets WHERE id = ANY($1)`, [
        sets.slice(0, 3).map((s) => s.id),
      ]);
      const notes = Object.fromEntries(rows.map((r) => [r.id, r.notes]));
      expect([notes[sets[0].id as string], notes[sets[1].id as string], notes[sets[2].id as string]]).toEqual(['', null, 'two\nlines, "quoted"']);

      // Header on line 1, sets[2] spans lines 4 and 5: sets[3] starts on line 6.
      Object.assign(sets[3], { reps: 'many' });
      const bad = await writeBundle(join(dir, 'bad-cell.zip'), bundle, 'csv');
      const outcome = await run(target, bad, { strategy: 'merge', dryRun: true });
      expect(outcome.report.errors).toEqual([
        expect.objectContaining({ table: 'sets', rowId: sets[3].id, field: 'reps', message: expect.stringMatching(/^sets\.csv line 6: /) }),
      ]);
    });

    it('lets two users swap their emails (and a tenant take a free slug) in one import', async () => {
      const target = await database(true);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json', includeCredentials: true });
      const bundle = await readJsonBundle(exported.path, tables);
      const [a, b] = bundle.rows.users;
      [a.email, b.email] = [b.email, a.email];
      bundle.rows.tenants[0].slug = 'northside-renamed';
      const path = await writeBundle(join(dir, 'swap.json'), bundle);
      const outcome = await run(target, path, { strategy: 'merge' });
      expect(outcome.failure).toBeNull();
      expect(outcome.report.plan.find((p) => p.table === 'users')).toMatchObject({ update: 2 });
      const { rows } = await target.query<{ id: string; email: string }>(`SELECT id::text AS id, email FROM users WHERE id = ANY($1)`, [[a.id, b.id]]);
      expect(Object.fromEntries(rows.map((r) => [r.id, r.email]))).toEqual({ [a.id as string]: a.email, [b.id as string]: b.email });
      expect(await count(target, `SELECT count(*) AS n FROM tenants WHERE slug = 'northside-renamed'`)).toBe(1);
    });

    it('reports every rule a row breaks, each with its field and value', async () => {
      const target = await database(true);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json' });
      const bundle = await readJsonBundle(exported.path, tables);
      const [twice, once] = bundle.rows.sets;
      Object.assign(twice, { reps: -2, rpe: '11.0' });
      Object.assign(once, { weight_kg: '-1.00' });
      const path = await writeBundle(join(dir, 'rules.json'), bundle);
      const outcome = await run(target, path, { strategy: 'merge', dryRun: true });
      expect(outcome.failure?.code).toBe('VALIDATION_FAILED');
      const found = outcome.report.errors.map((e) => `${e.table} ${e.rowId as string} ${e.field as string}: ${e.message}`).sort();
      expect(found).toEqual(
        [
          `sets ${twice.id as string} reps: must be zero or more, got -2`,
          `sets ${twice.id as string} rpe: must be between 0 and 10, got 11.0`,
          `sets ${once.id as string} weight_kg: must be zero or more, got -1.00`,
        ].sort(),
      );
    });

    it('lists errors up to the cap and counts the rest', async () => {
      const target = await database(true);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json' });
      const bundle = await readJsonBundle(exported.path, tables);
      for (const set of bundle.rows.sets) set.rpe = '12.0';
      const path = await writeBundle(join(dir, 'many-errors.json'), bundle);
      const outcome = await run(target, path, { strategy: 'merge' });
      expect(outcome.report.errors).toHaveLength(200);
      expect(outcome.report.errors.length + outcome.report.moreErrors).toBe(bundle.rows.sets.length);
      expect(outcome.failure?.message).toContain(`${bundle.rows.sets.length} errors`);
    });

    it('names no row id that the job record could not store (NUL, a lone surrogate), and cuts long ids whole', async () => {
      const target = await database(true);
      const exported = await exportFrom(sourcePool, { scope: 'tenant', tenantId: northside, format: 'json' });
      const bundle = await readJsonBundle(exported.path, tables);
      bundle.rows.sets[0].id = 'bad\u0000id';
      bundle.rows.sets[1].id = 'lone\ud800';
      bundle.rows.sets[2].id = `${'x'.repeat(79)}\ud83d\ude00`;
      const path = await writeBundle(join(dir, 'unstorable-ids.json'), bundle);
      const outcome = await run(target, path, { strategy: 'merge' });
      const ids = outcome.report.errors.filter((e) => e.table === 'sets' && e.field === 'id').map((e) => e.rowId);
      expect(ids).toEqual([null, null, 'x'.repeat(79)]);
      // The report goes into a jsonb column: it must be storable as it is.
      await expect(target.query('SELECT $1::jsonb', [JSON.stringify(outcome.report)])).resolves.toBeTruthy();
    });
  });
});
