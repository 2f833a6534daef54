import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { BackupService } from '../src/backup/backup.service.js';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';
import { binary } from './support/http.js';

describe('backups (real PostgreSQL)', () => {
  let t: TestApp;
  let sys: string;
  let northside: string;
  let harbor: string;
  beforeAll(async () => {
    t = await createTestApp();
    sys = await t.token(SYSADMIN);
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    [{ id: harbor }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'harbor'`);
  });
  afterAll(async () => {
    await t.close();
  });

  const auth = (token: string) => ({ authorization: `Bearer ${token}` });

  async function manualBackup(token: string, body: Record<string, unknown>) {
    const response = await t.http.post('/api/backups').set(auth(token)).send(body).expect(202);
    const job = await waitForJob(t, token, response.body.id);
    expect(job.status).toBe('succeeded');
    return job.result as { backupId: string; fileName: string; rowCounts: Record<string, number> };
  }

  it('writes a manual tenant backup as a gzip SQL bundle with credentials, listed and downloadable', async () => {
    const result = await manualBackup(sys, { scope: 'tenant', tenantId: northside, note: 'before the big change' });
    const [{ n: sets }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM sets WHERE tenant_id = $1`, [northside]);
    expect(result.rowCounts.sets).toBe(sets);
    const list = await t.http.get(`/api/backups?tenantId=${northside}&kind=manual`).set(auth(sys)).expect(200);
    const listed = list.body.items.find((b: { id: string }) => b.id === result.backupId);
    expect(listed).toMatchObject({ kind: 'manual', scope: 'tenant', tenantSlug: 'northside', note: 'before the big change' });
    const one = await t.http.get(`/api/backups/${result.backupId}`).set(auth(sys)).expect(200);
    expect(one.body).toEqual(listed);
    const download = await t.http
      .get(`/api/backups/${result.backupId}/download`)
      .set(auth(sys))
      .buffer(true)
      .parse(binary as never);
    expect(download.status).toBe(200);
    const sql = gunzipSync(download.body as Buffer).toString();
    expect(sql).toMatch(/^-- RYTHM Data bundle/);
    expect(sql).toContain('COPY "users"');
    expect(sql).toContain('password_hash');
    expect(sql).toMatch(/\$2[aby]\$10\$/); // credentials travel in backups
  });

  it('restores with psql into a fresh database even without the application', async () => {
    const result = await manualBackup(sys, { scope: 'full' });
    const path = join(t.config.dataDir, result.fileName);
    await writeFile(path, await t.readStored('backups', result.fileName));
    const { createTestDatabase } = await import('./support/test-database.js');
    const target = await createTestDatabase({ seed: false });
    try {
      execFileSync('bash', ['-c', `gunzip -c "${path}" | psql -q -v ON_ERROR_STOP=1 "${target.url}"`], { stdio: 'pipe' });
      const pg = (await import('pg')).default;
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      const restored = await client.query(`SELECT count(*)::int AS n FROM sets`);
      await client.end();
      const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM sets`);
      expect(restored.rows[0].n).toBe(n);
    } finally {
      await target.drop();
    }
  });

  it('lets an org admin back up and see only their own tenant, and never delete', async () => {
    const token = await t.token(NORTHSIDE_ADMIN);
    await manualBackup(token, { scope: 'tenant' });
    await t.http.post('/api/backups').set(auth(token)).send({ scope: 'tenant', tenantId: harbor }).expect(403);
    await t.http.post('/api/backups').set(auth(token)).send({ scope: 'full' }).expect(403);
    const list = await t.http.get('/api/backups?pageSize=200').set(auth(token)).expect(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(list.body.items.every((b: { tenantId: string }) => b.tenantId === northside)).toBe(true);
    const harborToken = await t.token(HARBOR_ADMIN);
    const own = list.body.items[0].id;
    await t.http.get(`/api/backups/${own}/download`).set(auth(harborToken)).expect(403);
    await t.http.delete(`/api/backups/${own}`).set(auth(token)).expect(403);
  });

  it('deletes a backup (system admin): row and file together', async () => {
    const result = await manualBackup(sys, { scope: 'tenant', tenantId: harbor });
    await t.http.delete(`/api/backups/${result.backupId}`).set(auth(sys)).expect(204);
    expect(await t.stored('backups', result.fileName)).toBe(false);
    await t.http.get(`/api/backups/${result.backupId}`).set(auth(sys)).expect(404);
  });

  it('answers 410 when a backup file has gone missing', async () => {
    const [row] = await t.dataSource.query(
      `INSERT INTO backups (kind, scope, tenant_id, file_name, size_bytes, sha256, schema_version) VALUES ('manual', 'tenant', $1, 'gone.sql.gz', 1, 'x', 'v') RETURNING id`,
      [northside],
    );
    const response = await t.http.get(`/api/backups/${row.id}/download`).set(auth(sys)).expect(410);
    expect(response.body.code).toBe('GONE');
    // It says what happened: not found in storage (a backup never expires).
    expect(response.body.message).toMatch(/gone\.sql\.gz\) was not found in storage/);
    expect(response.body.message).not.toMatch(/expired/);
  });

  it('rejects a bad create body with 400 naming the field', async () => {
    const response = await t.http.post('/api/backups').set(auth(sys)).send({ scope: 'tenant', tenantId: 'nope' }).expect(400);
    expect(response.body.fields.map((f: { field: string }) => f.field)).toContain('tenantId');
  });

  it('shows the schedule and retention', async () => {
    const response = await t.http.get('/api/backups/schedule').set(auth(sys)).expect(200);
    expect(response.body).toEqual({ cron: '0 3 * * *', retentionDays: 14, retentionCount: null });
  });
});

describe('backup retention', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ seed: false, env: { BACKUP_RETENTION_DAYS: '7', BACKUP_RETENTION_COUNT: '3' } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('removes exactly the expired automatic backups, files and rows, and keeps manual ones', async () => {
    const now = new Date('2026-11-28T12:00:00Z');
    const day = 86400_000;
    const make = async (name: string, kind: string, ageDays: number) => {
      await t.putStored('backups', `${name}.sql.gz`, name);
      await t.dataSource.query(
        `INSERT INTO backups (kind, scope, file_name, size_bytes, sha256, schema_version, created_at) VALUES ($1, 'full', $2, 1, 'x', 'v', $3)`,
        [kind, `${name}.sql.gz`, new Date(now.getTime() - ageDays * day)],
      );
    };
    // scheduled: 5 within 7 days (keep the newest 3), 1 expired by age
    for (const [i, age] of [1, 2, 3, 4, 5].entries()) await make(`sched-${i}`, 'scheduled', age);
    await make('sched-old', 'scheduled', 9);
    await make('pre-import-old', 'pre-import', 8);
    await make('pre-import-new', 'pre-import', 1);
    await make('manual-old', 'manual', 400);
    const removed = await t.app.get(BackupService).prune(now);
    expect(removed).toBe(4);
    const left: { file_name: string }[] = await t.dataSource.query(`SELECT file_name FROM backups ORDER BY file_name`);
    const expected = ['manual-old', 'pre-import-new', 'sched-0', 'sched-1', 'sched-2'].map((n) => `${n}.sql.gz`);
    expect(left.map((r) => r.file_name)).toEqual(expected);
    expect(await t.storedNames('backups')).toEqual(expected);
  });
});
