import type pg from 'pg';
import { pgPool } from '../src/common/pg-pool.js';
import { tableChecksums } from './support/import-helpers.js';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

describe('restore (real PostgreSQL)', () => {
  let t: TestApp;
  let pool: pg.Pool;
  let sys: string;
  let northside: string;
  beforeAll(async () => {
    t = await createTestApp();
    pool = pgPool(t.dataSource);
    sys = await t.token(SYSADMIN);
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
  });
  afterAll(async () => {
    await t.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  async function backup(token: string, body: Record<string, unknown>): Promise<string> {
    const response = await t.http.post('/api/backups').set(auth(token)).send(body).expect(202);
    const job = await waitForJob(t, token, response.body.id);
    expect(job.status).toBe('succeeded');
    return (job.result as { backupId: string }).backupId;
  }

  async function restore(token: string, backupId: string, dryRun: boolean) {
    const response = await t.http.post(`/api/backups/${backupId}/restore`).set(auth(token)).send({ dryRun }).expect(202);
    return waitForJob(t, token, response.body.id);
  }

  /** Changes the tenant three ways: an update, a delete (children first) and an insert. */
  async function changeNorthside(): Promise<void> {
    await t.dataSource.query(`UPDATE sessions SET notes = 'changed after the backup' WHERE tenant_id = $1`, [northside]);
    const [victim] = await t.dataSource.query(`SELECT id FROM sessions WHERE tenant_id = $1 ORDER BY id LIMIT 1`, [northside]);
    await t.dataSource.query(`DELETE FROM sets WHERE session_id = $1`, [victim.id]);
    await t.dataSource.query(`DELETE FROM sessions WHERE id = $1`, [victim.id]);
    await t.dataSource.query(`INSERT INTO programs (tenant_id, name, duration_weeks) VALUES ($1, 'Added after the backup', 3)`, [northside]);
  }

  it('backup → change → restore gives exactly the backed-up rows, and the pre-restore backup undoes it', async () => {
    const before = await tableChecksums(pool);
    const backupId = await backup(sys, { scope: 'tenant', tenantId: northside });
    await changeNorthside();
    const changed = await tableChecksums(pool);
    expect(changed).not.toEqual(before);

    const preview = await restore(sys, backupId, true);
    expect(preview.status).toBe('succeeded');
    const report = await t.http.get(`/api/imports/${preview.id}/report`).set(auth(sys)).expect(200);
    expect(report.body).toMatchObject({ valid: true, applied: false, dryRun: true, strategy: 'replace' });
    const plan = Object.fromEntries(report.body.plan.map((p: { table: string }) => [p.table, p]));
    expect(plan.programs.delete).toBe(1);
    expect(plan.sessions.insert).toBe(1);
    expect(await tableChecksums(pool)).toEqual(changed); // the preview wrote nothing

    const done = await restore(sys, backupId, false);
    expect(done.status).toBe('succeeded');
    expect(await tableChecksums(pool)).toEqual(before);

    const pre: { id: string }[] = await t.dataSource.query(`SELECT id FROM backups WHERE kind = 'pre-restore' AND tenant_id = $1`, [northside]);
    expect(pre).toHaveLength(1);
    const undo = await restore(sys, pre[0].id, false);
    expect(undo.status).toBe('succeeded');
    expect(await tableChecksums(pool)).toEqual(changed);
  });

  it('refuses a corrupt backup with a clear error and changes nothing', async () => {
    const backupId = await backup(sys, { scope: 'tenant', tenantId: northside });
    const [row] = await t.dataSource.query(`SELECT file_name FROM backups WHERE id = $1`, [backupId]);
    // Tampered in storage: the same name, other bytes.
    const tampered = Buffer.concat([await t.readStored('backups', row.file_name), Buffer.from('tampered')]);
    await t.storage.delete('backups', row.file_name);
    await t.putStored('backups', row.file_name, tampered);
    const before = await tableChecksums(pool);
    const job = await restore(sys, backupId, false);
    expect(job.status).toBe('failed');
    expect(job.error).toMatchObject({ code: 'INVALID_BUNDLE' });
    expect(job.error?.message).toMatch(/corrupt/);
    expect(await tableChecksums(pool)).toEqual(before);
  });

  it('lets an org admin restore their own tenant’s backup only', async () => {
    const northsideToken = await t.token(NORTHSIDE_ADMIN);
    const backupId = await backup(northsideToken, { scope: 'tenant' });
    const preview = await restore(northsideToken, backupId, true);
    expect(preview.status).toBe('succeeded');
    const harborToken = await t.token(HARBOR_ADMIN);
    await t.http.post(`/api/backups/${backupId}/restore`).set(auth(harborToken)).send({ dryRun: true }).expect(403);
    await t.http.post(`/api/backups/${backupId}/restore`).set(auth(northsideToken)).send({}).expect(400);
  });
});
