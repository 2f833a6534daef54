import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackupService } from '../src/backup/backup.service.js';
import { JobExecutor } from '../src/jobs/job-executor.js';
import { JobJanitor } from '../src/jobs/job-janitor.js';
import type { JobView } from '../src/shared/api-types.js';
import { createTestApp, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { s3Env, startS3rver, type S3Server } from './support/test-storage.js';
import { binary } from './support/http.js';
import { waitForJob } from './support/wait-for-job.js';

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * Two instances of the API on one PostgreSQL, each with a local directory of its own and one
 * bucket (a real S3-compatible server), as behind a load balancer without sticky sessions: any
 * instance serves any file, whichever instance's worker wrote it.
 */
describe('two instances, one database, one bucket', () => {
  let s3: S3Server | null = null;
  let a: TestApp;
  let b: TestApp;
  let dir: string;
  let northside: string;
  let appliedDryRun = '';
  const auth = async (t: TestApp, email = SYSADMIN) => ({ authorization: `Bearer ${await t.token(email)}` });
  const download = async (t: TestApp, path: string, email = SYSADMIN) =>
    t.http
      .get(path)
      .set(await auth(t, email))
      .buffer(true)
      .parse(binary as never);
  /** The instance whose worker ran a job, and the other one. */
  const ranBy = async (jobId: string): Promise<[TestApp, TestApp]> => {
    const [{ worker_id }]: { worker_id: string }[] = await a.dataSource.query(`SELECT worker_id FROM data_jobs WHERE id = $1`, [jobId]);
    return worker_id === a.app.get(JobExecutor).workerId ? [a, b] : [b, a];
  };

  beforeAll(async () => {
    const endpoint = process.env.RYTHM_TEST_S3_ENDPOINT ?? (s3 = await startS3rver()).endpoint;
    // One key prefix for both: they are one cluster.
    const env = s3Env(endpoint, undefined, `cluster-${Date.now().toString(36)}/`);
    a = await createTestApp({ env });
    b = await createTestApp({ env, database: a.db });
    dir = await mkdtemp(join(tmpdir(), 'rythm-scale-out-'));
    [{ id: northside }] = await a.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs both on the s3 driver, each with a data directory of its own', () => {
    expect(a.config.storage).toMatchObject({ driver: 's3' });
    expect(b.config.storage).toEqual(a.config.storage);
    expect(a.config.dataDir).not.toBe(b.config.dataDir);
  });

  it('downloads an export through the instance that did not run it', async () => {
    const created = await a.http
      .post('/api/exports')
      .set(await auth(a))
      .send({ scope: 'tenant', tenantId: northside, format: 'csv' })
      .expect(202);
    const job = await waitForJob(a, await a.token(SYSADMIN), created.body.id);
    expect(job.status).toBe('succeeded');
    const [worker, other] = await ranBy(job.id);
    const fromOther = await download(other, `/api/exports/${job.id}/download`);
    expect(fromOther.status).toBe(200);
    expect((fromOther.body as Buffer).length).toBe(job.result!.sizeBytes);
    const fromWorker = await download(worker, `/api/exports/${job.id}/download`);
    expect(sha(fromOther.body as Buffer)).toBe(sha(fromWorker.body as Buffer));
    // Nothing went to either instance's own disk.
    for (const t of [a, b]) expect(await readdir(join(t.config.dataDir, 'jobs')).catch(() => [])).toEqual([]);
  });

  it('applies a dry run uploaded to one instance through the other (POST /api/imports/:jobId/apply)', async () => {
    const exported = await a.http
      .post('/api/exports')
      .set(await auth(a, NORTHSIDE_ADMIN))
      .send({ scope: 'tenant', format: 'csv' })
      .expect(202);
    await waitForJob(a, await a.token(NORTHSIDE_ADMIN), exported.body.id);
    const bundle = join(dir, 'northside.zip');
    await writeFile(bundle, (await download(b, `/api/exports/${exported.body.id}/download`, NORTHSIDE_ADMIN)).body as Buffer);

    const upload = a.http.post('/api/imports').set(await auth(a, NORTHSIDE_ADMIN));
    for (const [key, value] of Object.entries({ scope: 'tenant', strategy: 'merge', dryRun: 'true' })) upload.field(key, value);
    const dry = await upload.attach('file', bundle);
    expect(dry.status).toBe(202);
    const dryJob = await waitForJob(a, await a.token(NORTHSIDE_ADMIN), dry.body.id);
    appliedDryRun = dryJob.id;
    expect(dryJob).toMatchObject({ status: 'succeeded', result: { valid: true, dryRun: true } });

    const applied = await b.http
      .post(`/api/imports/${dryJob.id}/apply`)
      .set(await auth(b, NORTHSIDE_ADMIN))
      .send({})
      .expect(202);
    const job = await waitForJob(b, await b.token(NORTHSIDE_ADMIN), applied.body.id);
    expect(job).toMatchObject({ status: 'succeeded', result: { valid: true, dryRun: false, applied: true } });
  });

  it('undoes through one instance an import whose change set the other wrote', async () => {
    const exported = await a.http
      .post('/api/exports')
      .set(await auth(a))
      .send({ scope: 'tenant', tenantId: northside, format: 'json' })
      .expect(202);
    await waitForJob(a, await a.token(SYSADMIN), exported.body.id);
    const bundle = join(dir, 'northside-undo.json');
    await writeFile(bundle, (await download(a, `/api/exports/${exported.body.id}/download`)).body as Buffer);
    await a.dataSource.query(`UPDATE users SET first_name = 'Renamed before the import' WHERE tenant_id = $1 AND role = 'athlete'`, [northside]);
    const upload = a.http.post('/api/imports').set(await auth(a));
    for (const [key, value] of Object.entries({ scope: 'tenant', strategy: 'merge', dryRun: 'false' })) upload.field(key, value);
    const imported = await waitForJob(a, await a.token(SYSADMIN), (await upload.attach('file', bundle).expect(202)).body.id);
    expect(imported.result).toMatchObject({ applied: true, restorePoint: 'change-set' });
    const [, other] = await ranBy(imported.id);
    const undo = await other.http
      .post(`/api/imports/${imported.id}/undo`)
      .set(await auth(other))
      .send({})
      .expect(202);
    const job = await waitForJob(other, await other.token(SYSADMIN), undo.body.id);
    expect(job).toMatchObject({ status: 'succeeded', result: { applied: true } });
    const [{ n }] = await a.dataSource.query(`SELECT count(*)::int AS n FROM users WHERE tenant_id = $1 AND first_name = 'Renamed before the import'`, [
      northside,
    ]);
    expect(n).toBeGreaterThan(0);
  });

  it('restores through one instance a backup the other wrote, its sha256 checked first', async () => {
    const created = await a.http
      .post('/api/backups')
      .set(await auth(a))
      .send({ scope: 'tenant', tenantId: northside })
      .expect(202);
    const backupJob = await waitForJob(a, await a.token(SYSADMIN), created.body.id);
    expect(backupJob.status).toBe('succeeded');
    const backupId = backupJob.result!.backupId as string;
    const [, other] = await ranBy(backupJob.id);
    const file = await download(other, `/api/backups/${backupId}/download`);
    expect(file.status).toBe(200);
    expect(sha(file.body as Buffer)).toBe(file.headers['x-checksum-sha256']);

    const restore = await other.http
      .post(`/api/backups/${backupId}/restore`)
      .set(await auth(other))
      .send({ dryRun: false })
      .expect(202);
    const job = await waitForJob(other, await other.token(SYSADMIN), restore.body.id);
    expect(job).toMatchObject({ status: 'succeeded', result: { applied: true } });
  });

  it('serves eight exports started at once through both instances', async () => {
    const formats = ['json', 'sql', 'csv', 'json'];
    const started = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const t = i % 2 === 0 ? a : b;
        const body = { scope: 'tenant', tenantId: northside, format: formats[i % formats.length], compress: i % 3 === 0 };
        return (
          await t.http
            .post('/api/exports')
            .set(await auth(t))
            .send(body)
            .expect(202)
        ).body as JobView;
      }),
    );
    const done = await Promise.all(started.map(async (job) => waitForJob(a, await a.token(SYSADMIN), job.id, 120_000)));
    expect(done.map((job) => job.status)).toEqual(Array(8).fill('succeeded'));
    for (const job of done) {
      const [fromA, fromB] = await Promise.all([download(a, `/api/exports/${job.id}/download`), download(b, `/api/exports/${job.id}/download`)]);
      expect([fromA.status, fromB.status]).toEqual([200, 200]);
      expect((fromA.body as Buffer).length).toBe(job.result!.sizeBytes);
      expect(sha(fromA.body as Buffer)).toBe(sha(fromB.body as Buffer));
    }
  });

  it('removes each expired file once with both instances cleaning up at the same time, and keeps an upload a live job reads', async () => {
    const sql = (text: string, params: unknown[]) => a.dataSource.query(text, params);
    const job = (fileName: string, status: string, expiresAt: string | null) =>
      sql(`INSERT INTO data_jobs (type, status, params, file_name, expires_at) VALUES ('import', $1, '{}', $2, $3::timestamptz) RETURNING id`, [
        status,
        fileName,
        expiresAt,
      ]);
    const expired = ['old-1.json', 'old-2.json', 'old-3.json'];
    for (const name of [...expired, 'still-read.json']) await a.putStored('jobs', name, '{}');
    for (const name of expired) await job(name, 'succeeded', '2026-01-01T00:00:00Z');
    // An expired dry run whose upload a queued apply (no expiry yet) is about to read.
    await job('still-read.json', 'succeeded', '2026-01-01T00:00:00Z');
    await job('still-read.json', 'queued', null);

    const removed = await Promise.all([a.app.get(JobJanitor).removeExpiredFiles(), b.app.get(JobJanitor).removeExpiredFiles()]);
    expect(removed.reduce((x, y) => x + y, 0)).toBe(expired.length);
    for (const name of expired) expect({ name, stored: await a.stored('jobs', name) }).toEqual({ name, stored: false });
    expect(await b.stored('jobs', 'still-read.json')).toBe(true);
    const named: { n: number }[] = await sql(`SELECT count(*)::int AS n FROM data_jobs WHERE file_name = ANY($1)`, [expired]);
    expect(named[0].n).toBe(0);
    // Once its last job has expired too, it goes.
    await sql(`UPDATE data_jobs SET status = 'succeeded', expires_at = '2026-01-02T00:00:00Z' WHERE file_name = 'still-read.json'`, []);
    await b.app.get(JobJanitor).removeExpiredFiles();
    expect(await a.stored('jobs', 'still-read.json')).toBe(false);
  });

  it('answers the apply of a dry run whose upload was cleaned up with 410 saying when it expired', async () => {
    expect(appliedDryRun).not.toBe('');
    const [{ file_name }]: { file_name: string }[] = await a.dataSource.query(`SELECT file_name FROM data_jobs WHERE id = $1`, [appliedDryRun]);
    await a.dataSource.query(`UPDATE data_jobs SET expires_at = '2026-01-01T00:00:00Z' WHERE file_name = $1`, [file_name]);
    await a.app.get(JobJanitor).removeExpiredFiles();
    expect(await b.stored('jobs', file_name)).toBe(false);
    const refused = await b.http
      .post(`/api/imports/${appliedDryRun}/apply`)
      .set(await auth(b, NORTHSIDE_ADMIN))
      .send({});
    expect(refused.status).toBe(410);
    expect(refused.body.message).toMatch(/expired at 2026-01-01T00:00:00\.000Z \(EXPORT_TTL_HOURS\)/);
  });

  it('prunes no backup that a running restore reads, on either instance', async () => {
    const name = 'rythm-backup-full-scheduled-old.sql.gz';
    await a.putStored('backups', name, 'old');
    const [{ id }]: { id: string }[] = await a.dataSource.query(
      `INSERT INTO backups (kind, scope, file_name, size_bytes, sha256, schema_version, created_at) VALUES ('scheduled', 'full', $1, 3, 'x', 'v', now() - interval '400 days') RETURNING id`,
      [name],
    );
    const [{ id: restore }]: { id: string }[] = await a.dataSource.query(
      `INSERT INTO data_jobs (type, status, params) VALUES ('restore', 'running', jsonb_build_object('backupId', $1::text)) RETURNING id`,
      [id],
    );
    expect(await Promise.all([a.app.get(BackupService).prune(), b.app.get(BackupService).prune()])).toEqual([0, 0]);
    expect(await b.stored('backups', name)).toBe(true);
    await b.http
      .delete(`/api/backups/${id}`)
      .set(await auth(b))
      .expect(409);

    await a.dataSource.query(`UPDATE data_jobs SET status = 'succeeded' WHERE id = $1`, [restore]);
    const pruned = await Promise.all([a.app.get(BackupService).prune(), b.app.get(BackupService).prune()]);
    expect(pruned.reduce((x, y) => x + y, 0)).toBe(1);
    expect(await a.stored('backups', name)).toBe(false);
  });
});
