import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createWriteStream } from 'node:fs';
import { STORAGE, type Storage } from '../src/storage/storage.js';
import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { ImportReport, JobView, UndoReport } from '../src/shared/api-types.js';
import { killAndWaitForRollback, startChild } from './support/child-process.js';
import { binary } from './support/http.js';
import { DOMAIN_TABLES, tableChecksums, testPool } from './support/import-helpers.js';
import { createTestDatabase } from './support/test-database.js';
import { createTestApp, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * Change-set restore points and undo (docs/undo.md), through the API on a real PostgreSQL: every
 * strategy imported and undone gives every table back row for row; psql runs the same change set
 * to the same result; rows changed since refuse the undo (force overwrites them and says so).
 */

describe('undo an import', () => {
  let t: TestApp;
  let pool: pg.Pool;
  let dir: string;
  let sys: string;
  let northsideAdmin: string;
  let northside: string;
  let bundle: string;

  beforeAll(async () => {
    t = await createTestApp({ seed: true });
    pool = testPool(t.db.url);
    dir = await mkdtemp(join(tmpdir(), 'rythm-undo-'));
    sys = await t.token(SYSADMIN);
    northsideAdmin = await t.token(NORTHSIDE_ADMIN);
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    // The bundle: northside as it is now, exported through the API.
    const job = await t.http.post('/api/exports').set('authorization', `Bearer ${sys}`).send({ scope: 'tenant', tenantId: northside, format: 'json' });
    expect(job.status).toBe(202);
    await waitForJob(t, sys, job.body.id);
    const file = await t.http
      .get(`/api/exports/${job.body.id}/download`)
      .set('authorization', `Bearer ${sys}`)
      .buffer(true)
      .parse(binary as never);
    bundle = join(dir, 'northside.json');
    await writeFile(bundle, file.body as Buffer);
  });

  afterAll(async () => {
    await pool.end();
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Changes northside so that importing the bundle updates, inserts and (replace) deletes rows. */
  async function drift(): Promise<void> {
    await pool.query(
      `UPDATE users SET first_name = first_name || ' (renamed)' WHERE id IN (SELECT id FROM users WHERE tenant_id = $1 AND role <> 'org_admin' ORDER BY id LIMIT 3)`,
      [northside],
    );
    await pool.query(`DELETE FROM sets WHERE id IN (SELECT id FROM sets WHERE tenant_id = $1 ORDER BY id LIMIT 4)`, [northside]);
    await pool.query(`INSERT INTO programs (tenant_id, name, duration_weeks) VALUES ($1, 'Added since the export', 2)`, [northside]);
  }

  async function importAs(token: string, fields: Record<string, string>): Promise<ImportReport> {
    let request = t.http.post('/api/imports').set('authorization', `Bearer ${token}`);
    for (const [name, value] of Object.entries({ scope: 'tenant', dryRun: 'false', ...fields })) request = request.field(name, value);
    const response = await request.attach('file', bundle);
    expect(response.status).toBe(202);
    const job = await waitForJob(t, token, response.body.id);
    expect(job.error).toBeNull();
    const report = await t.http.get(`/api/imports/${job.id}/report`).set('authorization', `Bearer ${token}`);
    return report.body as ImportReport;
  }

  async function undo(token: string, jobId: string, body: { dryRun?: boolean; force?: boolean } = {}): Promise<{ job: JobView; report: UndoReport }> {
    const response = await t.http.post(`/api/imports/${jobId}/undo`).set('authorization', `Bearer ${token}`).send(body);
    if (response.status !== 202) throw new Error(`undo ${jobId} → ${response.status} ${JSON.stringify(response.body)}`);
    const job = await waitForJob(t, token, response.body.id);
    const report = await t.http.get(`/api/imports/${job.id}/undo-report`).set('authorization', `Bearer ${token}`);
    expect(report.status).toBe(200);
    return { job, report: report.body as UndoReport };
  }

  /** A copy of the database's domain rows in a fresh database (the app keeps its connections to the original). */
  async function copyDatabase(): Promise<{ url: string; pool: pg.Pool; drop: () => Promise<void> }> {
    const copy = await createTestDatabase({ seed: false });
    const target = testPool(copy.url, 2);
    const source = await pool.connect();
    const sink = await target.connect();
    try {
      await sink.query(`TRUNCATE ${DOMAIN_TABLES.map((n) => `"${n}"`).join(', ')} CASCADE`);
      for (const table of [
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
      ])
        await pipeline(source.query(copyTo(`COPY "${table}" TO STDOUT`)), sink.query(copyFrom(`COPY "${table}" FROM STDIN`)));
    } finally {
      source.release();
      sink.release();
    }
    return {
      url: copy.url,
      pool: target,
      drop: async () => {
        await target.end();
        await copy.drop();
      },
    };
  }

  /** The change set as a local file for psql, read through the app's storage (local or s3). */
  async function changeSetPath(backupId: string): Promise<string> {
    const [{ file_name }] = await t.dataSource.query(`SELECT file_name, content FROM backups WHERE id = $1 AND content = 'change-set'`, [backupId]);
    const path = join(dir, file_name as string);
    await pipeline(await t.app.get<Storage>(STORAGE).read('backups', file_name as string), createWriteStream(path));
    return path;
  }

  for (const strategy of ['merge', 'replace', 'skip'] as const) {
    it(`${strategy}: import, then undo, gives every table back row for row; psql runs the change set to the same result`, async () => {
      await drift();
      const before = await tableChecksums(pool);
      const imported = await importAs(sys, { strategy });
      expect(imported.applied).toBe(true);
      expect(imported.restorePoint).toBe('change-set');
      const changed = await tableChecksums(pool);
      expect(changed).not.toEqual(before);

      // psql, on a copy of the changed database, without the application.
      const copy = await copyDatabase();
      try {
        execFileSync('bash', ['-c', `gunzip -c "${await changeSetPath(imported.backupId!)}" | psql -q -v ON_ERROR_STOP=1 "${copy.url}"`], { stdio: 'pipe' });
        expect(await tableChecksums(copy.pool)).toEqual(before);
      } finally {
        await copy.drop();
      }

      const dry = await undo(sys, imported.jobId, { dryRun: true });
      expect(dry.job.status).toBe('succeeded');
      expect(dry.report.conflicts).toEqual([]);
      expect(dry.report.plan.reduce((n, p) => n + p.delete + p.restore + p.reinsert, 0)).toBeGreaterThan(0);
      expect(await tableChecksums(pool)).toEqual(changed);

      const done = await undo(sys, imported.jobId);
      expect(done.job.status).toBe('succeeded');
      expect(done.report.applied).toBe(true);
      expect(await tableChecksums(pool)).toEqual(before);
      const again = await t.http.get(`/api/imports/${imported.jobId}/report`).set('authorization', `Bearer ${sys}`);
      expect(again.body.undoneByJobId).toBe(done.job.id);
      // The Jobs list reads results only: the import's own result says it too.
      const listed = await t.http.get(`/api/jobs/${imported.jobId}`).set('authorization', `Bearer ${sys}`);
      expect(listed.body.result.undoneByJobId).toBe(done.job.id);
      const twice = await t.http.post(`/api/imports/${imported.jobId}/undo`).set('authorization', `Bearer ${sys}`).send({});
      expect(twice.status).toBe(409);
      expect(twice.body.message).toContain(done.job.id);

      // Undoing the undo re-does the import, exactly.
      const redo = await undo(sys, done.job.id);
      expect(redo.job.status).toBe('succeeded');
      expect(await tableChecksums(pool)).toEqual(changed);
      // Back to the start for the next strategy.
      await undo(sys, redo.job.id);
      expect(await tableChecksums(pool)).toEqual(before);
    });
  }

  it('clone: undo deletes the new tenant and everything in it', async () => {
    const before = await tableChecksums(pool);
    const imported = await importAs(sys, { strategy: 'merge', asNewTenant: 'true', newTenantSlug: 'northside-copy', newTenantName: 'Northside copy' });
    expect(imported.applied).toBe(true);
    expect(imported.restorePoint).toBe('change-set');
    expect(await tableChecksums(pool)).not.toEqual(before);
    const done = await undo(sys, imported.jobId);
    expect(done.report.plan.find((p) => p.table === 'tenants')).toMatchObject({ delete: 1, restore: 0, reinsert: 0 });
    expect(await tableChecksums(pool)).toEqual(before);
  });

  it('a merge of unchanged rows records an empty change set, and its undo changes nothing', async () => {
    await importAs(sys, { strategy: 'replace' });
    const before = await tableChecksums(pool);
    const imported = await importAs(sys, { strategy: 'merge' });
    expect(imported.plan.every((p) => p.insert + p.update + p.delete === 0)).toBe(true);
    const [backup] = await t.dataSource.query(`SELECT row_counts, content FROM backups WHERE id = $1`, [imported.backupId]);
    expect(backup).toEqual({ row_counts: {}, content: 'change-set' });
    const done = await undo(sys, imported.jobId);
    expect(done.report.plan).toEqual([]);
    expect(await tableChecksums(pool)).toEqual(before);
  });

  it('refuses when a row the import wrote changed since, naming it; force overwrites it and reports it', async () => {
    await drift();
    const before = await tableChecksums(pool);
    const imported = await importAs(northsideAdmin, { strategy: 'merge' });
    const [{ id: touched }] = await pool
      .query(`SELECT id FROM users WHERE tenant_id = $1 AND role <> 'org_admin' ORDER BY id LIMIT 1`, [northside])
      .then((r) => r.rows);
    await pool.query(`UPDATE users SET last_name = 'Changed after the import' WHERE id = $1`, [touched]);

    const dry = await undo(northsideAdmin, imported.jobId, { dryRun: true });
    expect(dry.job.status).toBe('succeeded');
    expect(dry.report.conflicts).toEqual([expect.objectContaining({ table: 'users', rowId: touched, reason: 'changed' })]);

    // psql refuses the same way, naming the row, and overwrites it when told to.
    const copy = await copyDatabase();
    try {
      const script = await changeSetPath(imported.backupId!);
      const refusedByPsql = (() => {
        try {
          execFileSync('bash', ['-c', `gunzip -c "${script}" | psql -q -v ON_ERROR_STOP=1 "${copy.url}"`], { stdio: 'pipe' });
          return '';
        } catch (error) {
          return String((error as { stderr?: Buffer }).stderr);
        }
      })();
      expect(refusedByPsql).toContain(`users ${touched} (changed)`);
      execFileSync('bash', ['-c', `gunzip -c "${script}" | PGOPTIONS='-c rythm.undo_force=on' psql -q -v ON_ERROR_STOP=1 "${copy.url}"`], { stdio: 'pipe' });
      expect(await tableChecksums(copy.pool)).toEqual(before);
    } finally {
      await copy.drop();
    }

    const refused = await undo(northsideAdmin, imported.jobId);
    expect(refused.job.status).toBe('failed');
    expect(refused.job.error).toMatchObject({ code: 'CONFLICT' });
    expect(refused.report.applied).toBe(false);
    expect(await count(`SELECT count(*) AS n FROM users WHERE id = $1 AND last_name = 'Changed after the import'`, [touched])).toBe(1);

    const forced = await undo(northsideAdmin, imported.jobId, { force: true });
    expect(forced.job.status).toBe('succeeded');
    expect(forced.report.overwritten).toBe(1);
    expect(await tableChecksums(pool)).toEqual(before);
    await importAs(sys, { strategy: 'replace' });
  });

  it('refuses, even with force, when a row added since references a row the import inserted', async () => {
    // The bundle holds a session whose sets were deleted: the merge inserts them again.
    const [{ session_id: sessionId }] = (await pool.query(`SELECT session_id FROM sets WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [northside])).rows;
    const [{ id: workoutSession }] = (await pool.query(`SELECT id FROM sessions WHERE id = $1`, [sessionId])).rows;
    const sets = (await pool.query(`SELECT id FROM sets WHERE session_id = $1`, [workoutSession])).rows.map((r) => r.id as string);
    await pool.query(`DELETE FROM sets WHERE session_id = $1`, [workoutSession]);
    await pool.query(`DELETE FROM sessions WHERE id = $1`, [workoutSession]);
    const imported = await importAs(sys, { strategy: 'merge' });
    expect(sets.length).toBeGreaterThan(0);
    // A coach logs a set into the session the import brought back.
    const [{ id: logged }] = (
      await pool.query(
        `INSERT INTO sets (tenant_id, session_id, exercise_id, set_index, reps) SELECT tenant_id, session_id, exercise_id, 99, 5 FROM sets WHERE id = $1 RETURNING id`,
        [sets[0]],
      )
    ).rows;
    const after = await tableChecksums(pool);
    const forced = await undo(sys, imported.jobId, { force: true });
    expect(forced.job.status).toBe('failed');
    expect(forced.report.conflicts).toEqual(expect.arrayContaining([expect.objectContaining({ table: 'sets', rowId: logged, reason: 'references' })]));
    expect(await tableChecksums(pool)).toEqual(after);
    await pool.query(`DELETE FROM sets WHERE id = $1`, [logged]);
  });

  it('an org admin may not undo a system admin’s promotion of a user to org admin', async () => {
    const [{ id: coach }] = (await pool.query(`SELECT id FROM users WHERE tenant_id = $1 AND role = 'coach' ORDER BY id LIMIT 1`, [northside])).rows;
    // The system admin's merge makes an athlete a coach again (as the bundle says).
    await pool.query(`UPDATE users SET role = 'athlete' WHERE id = $1`, [coach]);
    const imported = await importAs(sys, { strategy: 'merge', targetTenantId: northside });
    // Now a system admin promotes the user; the org admin's forced undo would demote them.
    await pool.query(`UPDATE users SET role = 'org_admin' WHERE id = $1`, [coach]);
    const forced = await undo(northsideAdmin, imported.jobId, { force: true });
    expect(forced.job.status).toBe('failed');
    expect(forced.report.conflicts).toEqual(expect.arrayContaining([expect.objectContaining({ table: 'users', rowId: coach, reason: 'power' })]));
    expect(await count(`SELECT count(*) AS n FROM users WHERE id = $1 AND role = 'org_admin'`, [coach])).toBe(1);
    await pool.query(`UPDATE users SET role = 'coach' WHERE id = $1`, [coach]);
  });

  it('leaves the database as it was when the undoing process is SIGKILLed mid-undo, and frees the lock', async () => {
    await drift();
    const imported = await importAs(sys, { strategy: 'replace' });
    const changed = await tableChecksums(pool);
    const { process: proc, line: undoing } = await startChild('undo-child.ts', [t.db.url, await changeSetPath(imported.backupId!)], 'UNDOING');
    expect(undoing).toMatch(/^UNDOING [1-9]/);
    await killAndWaitForRollback(proc, pool);
    expect(await tableChecksums(pool)).toEqual(changed);
    // The change set is intact and the lock free: the undo runs through the API afterwards.
    const done = await undo(sys, imported.jobId);
    expect(done.job.status).toBe('succeeded');
  });

  it('says why an import cannot be undone: a dry run, another tenant, a change set that is gone', async () => {
    const dry = await t.http
      .post('/api/imports')
      .set('authorization', `Bearer ${sys}`)
      .field('scope', 'tenant')
      .field('strategy', 'merge')
      .field('dryRun', 'true')
      .attach('file', bundle);
    await waitForJob(t, sys, dry.body.id);
    const notApplied = await t.http.post(`/api/imports/${dry.body.id}/undo`).set('authorization', `Bearer ${sys}`).send({});
    expect(notApplied.status).toBe(409);
    const imported = await importAs(sys, { strategy: 'merge' });
    const harbor = await t.token('admin@harbor.example');
    expect((await t.http.post(`/api/imports/${imported.jobId}/undo`).set('authorization', `Bearer ${harbor}`).send({})).status).toBe(403);
    await t.dataSource.query(`DELETE FROM backups WHERE id = $1`, [imported.backupId]);
    const gone = await t.http.post(`/api/imports/${imported.jobId}/undo`).set('authorization', `Bearer ${sys}`).send({});
    expect(gone.status).toBe(410);
    expect(gone.body.message).toContain('no longer kept');
  });

  it('a change set is not a bundle: restoring it is refused, pointing to the undo', async () => {
    const imported = await importAs(sys, { strategy: 'merge' });
    const refused = await t.http.post(`/api/backups/${imported.backupId}/restore`).set('authorization', `Bearer ${sys}`).send({ dryRun: true });
    expect(refused.status).toBe(409);
    expect(refused.body.message).toContain(`/api/imports/${imported.jobId}/undo`);
  });

  async function count(sql: string, params: unknown[]): Promise<number> {
    const { rows } = await pool.query<{ n: string }>(sql, params);
    return Number(rows[0].n);
  }
});
