import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import type { ExportRequest } from '../src/shared/api-types.js';
import { exportBundle, type ExportBundleOptions, type ExportOutcome } from '../src/transfer/export/export-bundle.js';
import { normaliseExport } from '../src/transfer/export/export-selection.js';
import type { TableSpec } from '../src/transfer/table-graph.js';
import { bundleIds, exportTables, ids, parseCsvBundle, parseJsonBundle, parseSqlBundle, textRows, type ParsedBundle } from './support/export-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const PSQL = ['/usr/bin/psql', '/usr/local/bin/psql'].find((p) => existsSync(p)) ?? null;
const DOMAIN = ['tenants', 'equipment', 'exercises', 'exercise_templates', 'users', 'programs', 'workouts', 'sessions', 'sets', 'program_assignments'];

/** Collects what the exporter writes. */
class MemoryWritable extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    callback();
  }
  get buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Holds the first write that contains `marker` until `whilePaused` is done: back-pressure stalls the exporter. */
class PausingWritable extends MemoryWritable {
  paused = false;
  constructor(
    private readonly marker: string,
    private readonly whilePaused: () => Promise<void>,
  ) {
    super({ highWaterMark: 1 });
  }
  override _write(chunk: Buffer, encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.paused || !chunk.includes(this.marker)) return super._write(chunk, encoding, callback);
    this.paused = true;
    this.chunks.push(chunk);
    this.whilePaused().then(() => callback(), callback);
  }
}

describe('exportBundle (real PostgreSQL, demo data)', () => {
  let db: TestDatabase;
  let pool: pg.Pool;
  let tables: TableSpec[];
  let northside: string;
  let harbor: string;

  const run = async (request: Partial<ExportRequest>, options: Partial<ExportBundleOptions> = {}): Promise<{ file: Buffer; outcome: ExportOutcome }> => {
    const out = new MemoryWritable();
    const outcome = await exportBundle(pool, normaliseExport({ scope: 'tenant', tenantId: northside, format: 'json', ...request }), out, {
      tables,
      ...options,
    });
    expect(out.writableFinished).toBe(true);
    return { file: out.buffer, outcome };
  };
  const parse = async (format: string, file: Buffer): Promise<ParsedBundle> =>
    format === 'json' ? parseJsonBundle(file) : format === 'sql' ? parseSqlBundle(file) : parseCsvBundle(file);

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = new pg.Pool({ connectionString: db.url, max: 4 });
    tables = await exportTables();
    northside = (await ids(pool, `SELECT id FROM tenants WHERE slug = 'northside'`))[0];
    harbor = (await ids(pool, `SELECT id FROM tenants WHERE slug = 'harbor'`))[0];
    // A global exercise and equipment that no tenant uses: tenant bundles must leave them out.
    await pool.query(`INSERT INTO equipment (name, category) VALUES ('Unused Sled', 'conditioning')`);
    await pool.query(`INSERT INTO exercises (name, category, equipment_id) SELECT 'Unused Drag', 'conditioning', id FROM equipment WHERE name = 'Unused Sled'`);
  });
  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  describe('encodings', () => {
    it('writes JSON, JSON.gz, SQL, SQL.gz and CSV bundles of northside with the same rows, each hash matching its file', async () => {
      const variants = [
        { format: 'json', compress: false },
        { format: 'json', compress: true },
        { format: 'sql', compress: false },
        { format: 'sql', compress: true },
        { format: 'csv', compress: false },
      ] as const;
      const results: { name: string; bundle: ParsedBundle; outcome: ExportOutcome }[] = [];
      for (const v of variants) {
        const { file, outcome } = await run(v);
        const bundle = await parse(v.format, file);
        const name = `${v.format}${v.compress ? '.gz' : ''}`;
        if (v.compress) expect([file[0], file[1]]).toEqual([0x1f, 0x8b]);
        expect({ name, sha256: bundle.recomputedSha256 }).toEqual({ name, sha256: bundle.summary.sha256 });
        expect(bundle.summary).toEqual(outcome.summary);
        expect(outcome.bytes).toBe(file.length);
        for (const table of bundle.manifest.tables)
          expect({ name, table: table.name, rows: bundle.rows[table.name].length }).toEqual({
            name,
            table: table.name,
            rows: bundle.summary.rowCounts[table.name],
          });
        results.push({ name, bundle, outcome });
      }
      const [first, ...others] = results;
      expect(first.bundle.manifest.tables.map((t) => t.name)).toEqual(DOMAIN);
      expect(first.bundle.summary.rowCounts.sets).toBeGreaterThan(1000);
      for (const other of others) {
        expect(other.bundle.summary.rowCounts).toEqual(first.bundle.summary.rowCounts);
        expect(other.bundle.manifest.tables).toEqual(first.bundle.manifest.tables);
        for (const table of DOMAIN) expect(bundleIds(other.bundle, table)).toEqual(bundleIds(first.bundle, table));
      }
      // Same encoding, compressed or not: the same hash (it covers the data, not the wrapping).
      expect(results[1].bundle.summary.sha256).toBe(results[0].bundle.summary.sha256);
      expect(results[3].bundle.summary.sha256).toBe(results[2].bundle.summary.sha256);
    });

    it('JSON: one row per line, each line exactly JSON.stringify of its row with keys in column order', async () => {
      const { file } = await run({ format: 'json' });
      const text = file.toString('utf8');
      const lines = text.split('\n');
      expect(lines[0]).toMatch(/^\{"manifest":\{.*\},$/);
      expect(lines[1]).toBe('"data":{');
      expect(lines.at(-1)).toBe('');
      expect(lines.at(-2)).toMatch(/^"summary":\{"rowCounts":\{.*\},"sha256":"[0-9a-f]{64}"\}\}$/);
      const bundle = parseJsonBundle(file);
      const columnsOf = new Map(bundle.manifest.tables.map((t) => [t.name, t.columns]));
      let table = '';
      let rowLines = 0;
      for (const line of lines.slice(2, -3)) {
        const header = /^"(\w+)":\[$/.exec(line);
        if (header) {
          table = header[1];
          continue;
        }
        if (line === '],' || line === ']') continue;
        const json = line.endsWith(',') ? line.slice(0, -1) : line;
        const row = JSON.parse(json) as Record<string, unknown>;
        expect(JSON.stringify(row)).toBe(json);
        expect(Object.keys(row)).toEqual(columnsOf.get(table));
        rowLines++;
      }
      expect(rowLines).toBe(Object.values(bundle.summary.rowCounts).reduce((a, b) => a + b, 0));
    });

    it('JSON values: numeric as exact strings, timestamps ISO with offset, arrays as arrays, integers as numbers', async () => {
      const bundle = parseJsonBundle((await run({ format: 'json' })).file);
      const set = bundle.rows.sets.find((r) => r.weight_kg !== null)!;
      expect(set.weight_kg).toMatch(/^\d+\.\d{2}$/);
      expect(typeof set.set_index).toBe('number');
      expect(set.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00$/);
      const exercise = bundle.rows.exercises.find((r) => (r.muscle_groups as string[]).includes('full body'))!;
      expect(Array.isArray(exercise.muscle_groups)).toBe(true);
      const [source] = await textRows(pool, `SELECT weight_kg FROM sets WHERE id = $1`, [set.id]);
      expect(set.weight_kg).toBe(source.weight_kg);
      // Notes with quotes, tabs, newlines and backslash-free text survive exactly.
      const notes = (await textRows(pool, `SELECT id, notes FROM sessions WHERE tenant_id = $1 AND notes IS NOT NULL ORDER BY id`, [northside])).map((r) => [
        r.id,
        r.notes,
      ]);
      expect(bundle.rows.sessions.filter((r) => r.notes !== null).map((r) => [r.id, r.notes])).toEqual(notes);
    });

    it('JSON keeps backslashes and control characters exact (COPY escaping undone)', async () => {
      const tricky = 'back\\slash \\n not-a-newline\ttab\nnewline "quote" \u0001 ünïcødé 😀';
      const [session] = await ids(pool, `SELECT id FROM sessions WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [northside]);
      const [before] = await textRows(pool, `SELECT notes FROM sessions WHERE id = $1`, [session]);
      await pool.query(`UPDATE sessions SET notes = $2 WHERE id = $1`, [session, tricky]);
      try {
        for (const format of ['json', 'sql', 'csv'] as const) {
          const bundle = await parse(format, (await run({ format })).file);
          expect(bundle.recomputedSha256).toBe(bundle.summary.sha256);
          const row = bundle.rows.sessions.find((r) => r.id === session)!;
          const value = format === 'csv' ? String(row.notes).replace(/^'/, '') : row.notes;
          expect({ format, value }).toEqual({ format, value: tricky });
        }
      } finally {
        await pool.query(`UPDATE sessions SET notes = $2 WHERE id = $1`, [session, before.notes]);
      }
    });

    it('SQL: the exact psql dialect of docs/bundle-format.md', async () => {
      const { lines } = parseSqlBundle((await run({ format: 'sql' })).file);
      expect(lines[0]).toBe('-- RYTHM Data bundle, format version 1. Load into a migrated database with: psql -v ON_ERROR_STOP=1 -f <file>');
      expect(lines[1]).toMatch(/^-- manifest: \{"format":"rythm-bundle","formatVersion":1,/);
      expect(lines.slice(2, 7)).toEqual([
        "SET client_encoding = 'UTF8';",
        "SET TimeZone = 'UTC';",
        "SET DateStyle = 'ISO, YMD';",
        "SET rythm.preserve_timestamps = 'on';",
        'BEGIN;',
      ]);
      expect(lines[7]).toBe('COPY "tenants" ("id", "name", "slug", "created_at", "updated_at") FROM stdin;');
      expect(lines.slice(-3)).toEqual(['COMMIT;', expect.stringMatching(/^-- summary: \{"rowCounts":/), '']);
      expect(lines.filter((l) => l === '\\.')).toHaveLength(DOMAIN.length);
    });
  });

  describe('SQL bundle restores with psql', () => {
    const load = async (file: Buffer): Promise<TestDatabase> => {
      const target = await createTestDatabase({ seed: false });
      const dir = await mkdtemp(join(tmpdir(), 'rythm-export-'));
      try {
        await writeFile(join(dir, 'bundle.sql'), file);
        execFileSync(PSQL!, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', target.url, '-f', join(dir, 'bundle.sql')], { stdio: ['ignore', 'pipe', 'pipe'] });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
      return target;
    };

    it('full scope with credentials loads into an empty migrated database and equals the source, column by column', async () => {
      if (!PSQL) {
        console.warn('skipped: no psql binary found (looked in /usr/bin and /usr/local/bin)');
        return;
      }
      const { file } = await run({ scope: 'full', tenantId: undefined, format: 'sql', includeCredentials: true });
      const target = await load(file);
      const copy = new pg.Client({ connectionString: target.url });
      await copy.connect();
      try {
        for (const table of DOMAIN) {
          const source = await textRows(pool, `SELECT * FROM "${table}" ORDER BY id`);
          const loaded = await textRows(copy, `SELECT * FROM "${table}" ORDER BY id`);
          expect({ table, rows: loaded }).toEqual({ table, rows: source });
          expect(source.length).toBeGreaterThan(0);
        }
      } finally {
        await copy.end();
        await target.drop();
      }
    });

    it('a northside tenant bundle (gzip, as backups write it) loads and equals the source rows it names', async () => {
      if (!PSQL) {
        console.warn('skipped: no psql binary found');
        return;
      }
      const { file } = await run({ format: 'sql', compress: true, includeCredentials: true });
      const { gunzipSync } = await import('node:zlib');
      const bundle = parseSqlBundle(file);
      const target = await load(gunzipSync(file));
      const copy = new pg.Client({ connectionString: target.url });
      await copy.connect();
      try {
        for (const table of DOMAIN) {
          const wanted = bundleIds(bundle, table);
          const source = await textRows(pool, `SELECT * FROM "${table}" WHERE id = ANY($1::uuid[]) ORDER BY id`, [wanted]);
          const loaded = await textRows(copy, `SELECT * FROM "${table}" ORDER BY id`);
          expect({ table, rows: loaded }).toEqual({ table, rows: source });
        }
        expect(await ids(copy, `SELECT id FROM tenants`)).toEqual([northside]);
      } finally {
        await copy.end();
        await target.drop();
      }
    });
  });

  describe('scope and filters', () => {
    const expectRows = async (bundle: ParsedBundle, expected: Record<string, string>, params: unknown[]) => {
      expect(bundle.manifest.tables.map((t) => t.name)).toEqual(Object.keys(expected));
      for (const [table, sql] of Object.entries(expected)) {
        const want = await ids(pool, `SELECT id FROM "${table}" WHERE ${sql} ORDER BY id`, params);
        expect({ table, ids: bundleIds(bundle, table) }).toEqual({ table, ids: want });
      }
    };
    const NORTHSIDE_EXERCISES = `tenant_id = $1 OR id IN (SELECT exercise_id FROM sets WHERE tenant_id = $1) OR id IN (SELECT exercise_id FROM exercise_templates WHERE tenant_id = $1)`;

    it('tenant scope: the tenant row, every tenant-owned row, and only the global rows they reference', async () => {
      const bundle = parseJsonBundle((await run({ format: 'json' })).file);
      await expectRows(
        bundle,
        {
          tenants: `id = $1`,
          equipment: `id IN (SELECT equipment_id FROM exercises WHERE ${NORTHSIDE_EXERCISES})`,
          exercises: NORTHSIDE_EXERCISES,
          exercise_templates: `tenant_id = $1`,
          users: `tenant_id = $1`,
          programs: `tenant_id = $1`,
          workouts: `tenant_id = $1`,
          sessions: `tenant_id = $1`,
          sets: `tenant_id = $1`,
          program_assignments: `tenant_id = $1`,
        },
        [northside],
      );
      const text = JSON.stringify(bundle.rows);
      expect(text).not.toContain(harbor);
      expect(text).not.toContain('Unused Drag');
      expect(text).not.toContain('Unused Sled');
      expect(text).not.toContain('sysadmin@rythm.example');
      expect(bundle.manifest.source).toMatchObject({ tenantId: northside, tenantSlug: 'northside' });
    });

    it('include.users=false leaves out users and every table that needs them, and the programs.created_by column', async () => {
      const bundle = parseJsonBundle((await run({ format: 'json', include: { users: false } })).file);
      await expectRows(
        bundle,
        {
          tenants: `id = $1`,
          equipment: `id IN (SELECT equipment_id FROM exercises WHERE tenant_id = $1 OR id IN (SELECT exercise_id FROM exercise_templates WHERE tenant_id = $1))`,
          exercises: `tenant_id = $1 OR id IN (SELECT exercise_id FROM exercise_templates WHERE tenant_id = $1)`,
          exercise_templates: `tenant_id = $1`,
          programs: `tenant_id = $1`,
          workouts: `tenant_id = $1`,
        },
        [northside],
      );
      expect(bundle.manifest.tables.find((t) => t.name === 'programs')!.columns).not.toContain('created_by');
      expect(Object.keys(bundle.rows.programs[0])).not.toContain('created_by');
      expect(bundle.manifest.options).toMatchObject({ include: { users: false, sessions: true } });
    });

    it('include.sessions=false leaves out sessions and sets, keeps users and assignments', async () => {
      const bundle = parseJsonBundle((await run({ format: 'json', include: { sessions: false } })).file);
      await expectRows(
        bundle,
        {
          tenants: `id = $1`,
          equipment: `id IN (SELECT equipment_id FROM exercises WHERE tenant_id = $1 OR id IN (SELECT exercise_id FROM exercise_templates WHERE tenant_id = $1))`,
          exercises: `tenant_id = $1 OR id IN (SELECT exercise_id FROM exercise_templates WHERE tenant_id = $1)`,
          exercise_templates: `tenant_id = $1`,
          users: `tenant_id = $1`,
          programs: `tenant_id = $1`,
          workouts: `tenant_id = $1`,
          program_assignments: `tenant_id = $1`,
        },
        [northside],
      );
      expect(bundle.manifest.tables.find((t) => t.name === 'programs')!.columns).toContain('created_by');
    });

    it('dateRange keeps sessions started in [from, to) and exactly their sets; other tables whole', async () => {
      const from = '2026-07-01T00:00:00.000Z';
      const to = '2026-08-01T00:00:00.000Z';
      const bundle = parseJsonBundle((await run({ format: 'json', dateRange: { from, to } })).file);
      const inRange = `tenant_id = $1 AND started_at >= '${from}' AND started_at < '${to}'`;
      await expectRows(
        bundle,
        {
          tenants: `id = $1`,
          equipment: `id IN (SELECT equipment_id FROM exercises WHERE tenant_id = $1 OR id IN (SELECT exercise_id FROM sets WHERE session_id IN (SELECT id FROM sessions WHERE ${inRange})) OR id IN (SELECT exercise_id FROM exercise_templates WHERE tenant_id = $1))`,
          exercises: `tenant_id = $1 OR id IN (SELECT exercise_id FROM sets WHERE session_id IN (SELECT id FROM sessions WHERE ${inRange})) OR id IN (SELECT exercise_id FROM exercise_templates WHERE tenant_id = $1)`,
          exercise_templates: `tenant_id = $1`,
          users: `tenant_id = $1`,
          programs: `tenant_id = $1`,
          workouts: `tenant_id = $1`,
          sessions: inRange,
          sets: `session_id IN (SELECT id FROM sessions WHERE ${inRange})`,
          program_assignments: `tenant_id = $1`,
        },
        [northside],
      );
      const total = Number((await textRows(pool, `SELECT count(*) AS n FROM sessions WHERE tenant_id = $1`, [northside]))[0].n);
      expect(bundle.summary.rowCounts.sessions).toBeGreaterThan(0);
      expect(bundle.summary.rowCounts.sessions).toBeLessThan(total);
      expect(bundle.manifest.options).toMatchObject({ dateRange: { from, to } });
    });

    it('modifiedSince keeps exactly the rows updated after the instant, in every table (incremental)', async () => {
      const [{ now }] = await textRows(pool, `SELECT to_json(now())#>>'{}' AS now`);
      await new Promise((r) => setTimeout(r, 20));
      const touchedSessions = await ids(
        pool,
        `UPDATE sessions SET notes = 'edited' WHERE id IN (SELECT id FROM sessions WHERE tenant_id = $1 ORDER BY id LIMIT 2) RETURNING id`,
        [northside],
      );
      const touchedSets = await ids(
        pool,
        `UPDATE sets SET reps = 99 WHERE id IN (SELECT id FROM sets WHERE tenant_id = $1 ORDER BY id DESC LIMIT 3) RETURNING id`,
        [northside],
      );
      const touchedUsers = await ids(
        pool,
        `UPDATE users SET last_name = 'Renamed' WHERE id IN (SELECT id FROM users WHERE tenant_id = $1 AND role = 'athlete' ORDER BY id LIMIT 1) RETURNING id`,
        [northside],
      );
      await pool.query(`UPDATE sets SET reps = 98 WHERE id IN (SELECT id FROM sets WHERE tenant_id = $1 ORDER BY id LIMIT 1)`, [harbor]);
      const bundle = parseJsonBundle((await run({ format: 'json', modifiedSince: now! })).file);
      const counts = Object.fromEntries(DOMAIN.map((t) => [t, 0]));
      expect(bundle.summary.rowCounts).toEqual({ ...counts, sessions: 2, sets: 3, users: 1 });
      expect(bundleIds(bundle, 'sessions')).toEqual([...touchedSessions].sort());
      expect(bundleIds(bundle, 'sets')).toEqual([...touchedSets].sort());
      expect(bundleIds(bundle, 'users')).toEqual(touchedUsers);
      expect(bundle.manifest.options).toMatchObject({ modifiedSince: new Date(now!).toISOString(), incremental: true });
    });

    it('global scope: equipment, and exercises and templates without a tenant; no tenant-custom exercises', async () => {
      const bundle = parseJsonBundle((await run({ scope: 'global', tenantId: undefined, format: 'json' })).file);
      await expectRows(bundle, { equipment: `TRUE`, exercises: `tenant_id IS NULL`, exercise_templates: `tenant_id IS NULL` }, []);
      const names = bundle.rows.exercises.map((r) => r.name);
      expect(names).not.toContain('Sled Push');
      expect(names).toContain('Unused Drag');
      expect(bundle.manifest.source).not.toHaveProperty('tenantId');
    });

    it('full scope: every row of every table, both tenants and the platform operator without a tenant', async () => {
      const bundle = parseJsonBundle((await run({ scope: 'full', tenantId: undefined, format: 'json' })).file);
      await expectRows(bundle, Object.fromEntries(DOMAIN.map((t) => [t, 'TRUE'])), []);
      expect(bundleIds(bundle, 'tenants').sort()).toEqual([northside, harbor].sort());
      expect(bundle.rows.users.some((u) => u.tenant_id === null && u.email === 'sysadmin@rythm.example')).toBe(true);
    });

    it('refuses an unknown tenant, and bad options, naming the field', async () => {
      await expect(run({ tenantId: '00000000-0000-4000-8000-000000000000' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(run({ tenantId: 'nope' })).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/^tenantId/) });
      await expect(run({ dateRange: { from: '2026-08-01', to: '2026-07-01' } })).rejects.toMatchObject({ message: expect.stringMatching(/^dateRange/) });
      await expect(run({ anonymize: true, includeCredentials: true })).rejects.toMatchObject({ message: expect.stringMatching(/^includeCredentials/) });
    });
  });

  describe('one snapshot, cancellation', () => {
    it('a session and its sets committed while the export runs do not appear, not even half', async () => {
      const before = parseSqlBundle((await run({ format: 'sql' })).file);
      let inserted = '';
      // Another connection commits a session and its sets while the export is held by a slow
      // output, between the sessions and the sets tables. One snapshot: neither appears.
      const commitConcurrently = async () => {
        const other = new pg.Client({ connectionString: db.url });
        await other.connect();
        try {
          const user = (await ids(other, `SELECT id FROM users WHERE tenant_id = $1 AND role = 'athlete' LIMIT 1`, [northside]))[0];
          const exercise = (await ids(other, `SELECT id FROM exercises WHERE tenant_id IS NULL LIMIT 1`))[0];
          await other.query('BEGIN');
          inserted = (await ids(other, `INSERT INTO sessions (tenant_id, user_id, started_at) VALUES ($1, $2, now()) RETURNING id`, [northside, user]))[0];
          await other.query(`INSERT INTO sets (tenant_id, session_id, exercise_id, set_index) SELECT $1, $2, $3, g FROM generate_series(0, 4) g`, [
            northside,
            inserted,
            exercise,
          ]);
          await other.query('COMMIT');
        } finally {
          await other.end();
        }
      };
      const out = new PausingWritable('COPY "sessions"', commitConcurrently);
      const outcome = await exportBundle(pool, normaliseExport({ scope: 'tenant', tenantId: northside, format: 'sql' }), out, { tables });
      expect(out.paused).toBe(true);
      expect(inserted).not.toBe('');
      const file = out.buffer;
      const bundle = parseSqlBundle(file);
      expect(bundle.summary).toEqual(outcome.summary);
      expect(bundle.summary.rowCounts).toEqual(before.summary.rowCounts);
      expect(file.toString('utf8')).not.toContain(inserted);
      // The next export sees the committed rows.
      const after = parseSqlBundle((await run({ format: 'sql' })).file);
      expect(after.summary.rowCounts.sessions).toBe(bundle.summary.rowCounts.sessions + 1);
      expect(after.summary.rowCounts.sets).toBe(bundle.summary.rowCounts.sets + 5);
    });

    it('cancelling stops the export, destroys the output and gives the connection back to the pool', async () => {
      const controller = new AbortController();
      const out = new MemoryWritable();
      const progress: string[] = [];
      const promise = exportBundle(pool, normaliseExport({ scope: 'tenant', tenantId: northside, format: 'json' }), out, {
        tables,
        signal: controller.signal,
        progressIntervalMs: 0,
        onProgress: (p) => {
          progress.push(p.table!);
          if (p.table === 'sets' && p.rowsDone > 0) controller.abort();
        },
      });
      await expect(promise).rejects.toMatchObject({ name: 'AbortError' });
      expect(out.destroyed).toBe(true);
      expect(progress).toContain('sets');
      expect(progress).not.toContain('program_assignments');
      expect(pool.totalCount - pool.idleCount).toBe(0);
      // The pool still works (the interrupted connection was dropped, not reused mid-COPY).
      expect((await run({ format: 'json', include: { sessions: false } })).outcome.summary.rowCounts.users).toBeGreaterThan(0);
    });

    it('an output that fails mid-export rejects the export with its error, and the pool stays usable', async () => {
      let written = 0;
      const failing = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _encoding, callback) {
          written += chunk.length;
          callback(written > 200_000 ? new Error('disk full') : null);
        },
      });
      await expect(exportBundle(pool, normaliseExport({ scope: 'tenant', tenantId: northside, format: 'sql' }), failing, { tables })).rejects.toThrow(
        'disk full',
      );
      expect(pool.totalCount - pool.idleCount).toBe(0);
      expect((await run({ format: 'sql', include: { sessions: false } })).outcome.summary.rowCounts.users).toBeGreaterThan(0);
    });

    it('reports progress per table with an estimated total that never passes 100% and ends at the real count', async () => {
      const seen: { table?: string; rowsDone: number; rowsTotal?: number }[] = [];
      const { outcome } = await run({ format: 'csv' }, { onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
      const total = Object.values(outcome.summary.rowCounts).reduce((a, b) => a + b, 0);
      expect(seen.every((p) => p.rowsTotal !== undefined && p.rowsDone <= p.rowsTotal)).toBe(true);
      expect(seen.at(-1)).toMatchObject({ table: 'program_assignments', rowsDone: total, rowsTotal: total });
      expect(new Set(seen.map((p) => p.table))).toEqual(new Set(DOMAIN));
    });

    it('keeps progress within its total and ends at the real count when a table grew since its statistics', async () => {
      // Rows the statistics have not seen: the estimate is short, the total grows with the rows.
      await pool.query(`ANALYZE sets`);
      await pool.query(
        `INSERT INTO sets (id, tenant_id, session_id, exercise_id, set_index, reps, created_at, updated_at)
         SELECT gen_random_uuid(), tenant_id, session_id, exercise_id, set_index + 1000, reps, created_at, updated_at FROM sets WHERE tenant_id = $1`,
        [northside],
      );
      try {
        const seen: { rowsDone: number; rowsTotal?: number }[] = [];
        const { outcome } = await run({ format: 'sql' }, { onProgress: (p) => seen.push(p), progressIntervalMs: 0 });
        const total = Object.values(outcome.summary.rowCounts).reduce((a, b) => a + b, 0);
        expect(seen.every((p) => p.rowsTotal !== undefined && p.rowsDone <= p.rowsTotal)).toBe(true);
        expect(seen.at(-1)).toMatchObject({ rowsDone: total, rowsTotal: total });
      } finally {
        await pool.query(`DELETE FROM sets WHERE tenant_id = $1 AND set_index >= 1000`, [northside]);
      }
    });
  });

  describe('privacy', () => {
    const originals = async () => {
      const users = await textRows(pool, `SELECT email, first_name, last_name FROM users WHERE tenant_id = $1`, [northside]);
      const notes = await textRows(
        pool,
        `SELECT DISTINCT notes FROM (SELECT notes FROM sessions WHERE tenant_id = $1 UNION SELECT notes FROM sets WHERE tenant_id = $1) n WHERE notes IS NOT NULL`,
        [northside],
      );
      return {
        emails: users.map((u) => u.email!),
        names: [...new Set(users.flatMap((u) => [u.first_name!, u.last_name!]))],
        notes: notes.map((n) => n.notes!),
      };
    };
    /** Where each original value would appear in a JSON bundle: as a JSON string. */
    const leaks = (file: Buffer, values: string[]) => values.filter((v) => file.includes(Buffer.from(JSON.stringify(v))));

    it('an anonymised bundle holds none of the emails, first and last names or notes', async () => {
      const o = await originals();
      expect(o.emails.length).toBeGreaterThan(10);
      expect(o.notes.length).toBeGreaterThan(3);
      const plain = (await run({ format: 'json' })).file;
      // The check can fail: the same search finds every value in a plain bundle.
      expect(leaks(plain, [...o.emails, ...o.names, ...o.notes])).toHaveLength(o.emails.length + o.names.length + o.notes.length);
      for (const format of ['json', 'sql', 'csv'] as const) {
        const { file } = await run({ format, anonymize: true });
        const bytes = format === 'csv' ? Buffer.concat(Object.values((await parseCsvBundle(file)).files).map((f) => Buffer.from(f))) : file;
        if (format === 'json') expect(leaks(bytes, [...o.emails, ...o.names, ...o.notes])).toEqual([]);
        for (const email of o.emails) expect({ format, email, found: bytes.includes(Buffer.from(email)) }).toEqual({ format, email, found: false });
        for (const name of o.names)
          expect({ format, name, found: new RegExp(`(^|[\\t,"])${name}([\\t,"\\n]|$)`, 'm').test(bytes.toString('utf8')) }).toEqual({
            format,
            name,
            found: false,
          });
      }
      const bundle = parseJsonBundle((await run({ format: 'json', anonymize: true })).file);
      const emails = bundle.rows.users.map((u) => u.email as string);
      expect(new Set(emails).size).toBe(emails.length);
      for (const email of emails) expect(email).toMatch(/^user-[0-9a-f]{16}@example\.invalid$/);
      expect(bundle.rows.sessions.filter((s) => s.notes !== null).every((s) => s.notes === '(anonymised)')).toBe(true);
      expect(bundle.manifest.options).toMatchObject({ anonymize: true });
    });

    it('without includeCredentials there is no password hash and no password_hash column; with it there is', async () => {
      for (const format of ['json', 'sql', 'csv'] as const) {
        const { file } = await run({ format });
        const bundle = await parse(format, file);
        const bytes = format === 'csv' ? Buffer.from(Object.values((bundle as Awaited<ReturnType<typeof parseCsvBundle>>).files).join('')) : file;
        expect({ format, hash: bytes.includes('$2') }).toEqual({ format, hash: false });
        expect({ format, column: bytes.includes('password_hash') }).toEqual({ format, column: false });
        expect(bundle.manifest.tables.find((t) => t.name === 'users')!.columns).not.toContain('password_hash');
      }
      const withHashes = parseJsonBundle((await run({ format: 'json', includeCredentials: true })).file);
      expect(withHashes.rows.users.every((u) => typeof u.password_hash === 'string' && u.password_hash.startsWith('$2'))).toBe(true);
    });
  });

  describe('CSV', () => {
    it('protects text cells that start with = + - @ tab CR or quote, never numbers, and the round trip is exact', async () => {
      const [set] = await ids(pool, `SELECT id FROM sets WHERE tenant_id = $1 AND weight_kg IS NOT NULL ORDER BY id LIMIT 1`, [northside]);
      await pool.query(`UPDATE sets SET weight_kg = -12.50, reps = -3, notes = '=1+1' WHERE id = $1`, [set]);
      const bundle = await parseCsvBundle((await run({ format: 'csv' })).file);
      expect(bundle.entries).toEqual(['manifest.json', ...DOMAIN.map((t) => `${t}.csv`), 'summary.json']);
      const row = bundle.rows.sets.find((r) => r.id === set)!;
      expect(row).toMatchObject({ weight_kg: '-12.50', reps: '-3', notes: "'=1+1" });
      expect(bundle.files.sets).toContain(`,-12.50,`);
      // Every text cell reads back to the database value once one leading quote is removed.
      for (const table of ['sessions', 'sets'] as const) {
        const source = new Map((await textRows(pool, `SELECT id, notes FROM "${table}" WHERE tenant_id = $1`, [northside])).map((r) => [r.id, r.notes]));
        let protectedCells = 0;
        for (const r of bundle.rows[table]) {
          const cell = r.notes as string | null;
          const value = source.get(r.id as string) ?? null;
          if (value !== null && /^[=+\-@\t\r']/.test(value)) {
            expect(cell).toBe(`'${value}`);
            protectedCells++;
          }
          expect(cell === null ? null : cell.replace(/^'/, '')).toBe(value);
        }
        expect(protectedCells).toBeGreaterThan(0);
      }
      // NULL is an empty unquoted cell, the empty string is "".
      expect(bundle.files.sessions).toMatch(/,,/);
    });
  });
});
