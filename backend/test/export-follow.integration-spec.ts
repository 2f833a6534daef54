import { setTimeout as sleep } from 'node:timers/promises';
import type { JobView } from '../src/shared/api-types.js';
import type { StorageWriter } from '../src/storage/storage.js';
import { parseSqlBundle } from './support/export-helpers.js';
import { createTestApp, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { testsUseS3 } from './support/test-storage.js';

/**
 * GET /api/exports/:id/download?follow=true: the download asked for right after the POST, which
 * streams the file while the job writes it (local storage) and is cut, never ended, if the job
 * fails. Real HTTP (fetch against the listening app) so that the test sees bytes as they arrive.
 */
describe('an export download that follows its job', () => {
  let t: TestApp;
  let base: string;
  let northside: string;
  let sysadminId: string;
  const auth = async (email: string) => ({ authorization: `Bearer ${await t.token(email)}` });
  const follow = async (jobId: string, email = SYSADMIN) => fetch(`${base}/api/exports/${jobId}/download?follow=true`, { headers: await auth(email) });

  beforeAll(async () => {
    t = await createTestApp();
    base = await t.listen();
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    [{ id: sysadminId }] = await t.dataSource.query(`SELECT id FROM users WHERE email = $1`, [SYSADMIN]);
  });
  afterAll(async () => {
    await t.close();
  });

  const until = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
    for (let i = 0; i < 100; i++) {
      const found = await probe();
      if (found) return found;
      await sleep(50);
    }
    throw new Error('timed out');
  };

  /** A running export as the executor leaves it mid-way: its row, and a file in storage that is still open. */
  const runningExport = async () => {
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO data_jobs (type, status, tenant_id, created_by, params, started_at)
       VALUES ('export', 'running', $1, $2, $3, '2026-03-04T05:06:07Z') RETURNING id`,
      [northside, sysadminId, JSON.stringify({ scope: 'tenant', tenantId: northside, format: 'sql' })],
    );
    const writer = t.storage.createWriter('jobs', `export-${id}.sql`);
    return { id: id as string, writer };
  };
  const write = (writer: StorageWriter, text: string) =>
    new Promise<void>((resolve, reject) => writer.stream.write(text, (error) => (error ? reject(error) : resolve())));
  const finish = async (id: string, status: string, sizeBytes: number) => {
    await t.dataSource.query(`UPDATE data_jobs SET status = $2, result = $3, finished_at = now(), file_name = $4 WHERE id = $1`, [
      id,
      status,
      JSON.stringify({ fileName: 'rythm-northside-tenant-20260304T050607Z.sql', sizeBytes }),
      status === 'succeeded' ? `export-${id}.sql` : null,
    ]);
  };

  it('a real export downloaded with follow right after the POST: the same bytes as the finished file', async () => {
    const created = await t.http
      .post('/api/exports')
      .set(await auth(SYSADMIN))
      .send({ scope: 'tenant', tenantId: northside, format: 'sql' })
      .expect(202);
    const response = await follow((created.body as JobView).id);
    expect(response.status).toBe(200);
    const followed = Buffer.from(await response.arrayBuffer());
    const [job] = await t.dataSource.query(`SELECT status, result FROM data_jobs WHERE id = $1`, [created.body.id]);
    expect(job.status).toBe('succeeded');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${job.result.fileName as string}"`);
    expect(followed.length).toBe(job.result.sizeBytes);
    const whole = await fetch(`${base}/api/exports/${created.body.id as string}/download`, { headers: await auth(SYSADMIN) });
    expect(followed.equals(Buffer.from(await whole.arrayBuffer()))).toBe(true);
    expect(parseSqlBundle(followed).summary.rowCounts).toEqual(job.result.rowCounts);
  });

  it('streams the bytes already written while the job runs, and ends once it has succeeded with all of them', async () => {
    const { id, writer } = await runningExport();
    await write(writer, '-- the first part of the file\n');
    const pending = follow(id);
    if (testsUseS3()) {
      // An S3 object exists only once its upload completed: the reply waits for the whole file.
      await sleep(300);
      await write(writer, '-- the rest\n');
      writer.stream.end();
      await writer.done();
      await finish(id, 'succeeded', 42);
      const response = await pending;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('-- the first part of the file\n-- the rest\n');
      return;
    }
    const response = await pending;
    expect(response.status).toBe(200);
    // The name is the job's: its start is the bundle's time, known before the job ends.
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="rythm-northside-tenant-20260304T050607Z.sql"');
    expect(response.headers.get('content-length')).toBeNull();
    const reader = response.body!.getReader();
    const first = await reader.read();
    expect(Buffer.from(first.value).toString()).toBe('-- the first part of the file\n');
    const [{ status }] = await t.dataSource.query(`SELECT status FROM data_jobs WHERE id = $1`, [id]);
    expect(status).toBe('running');
    await write(writer, '-- the rest\n');
    writer.stream.end();
    await writer.done();
    await finish(id, 'succeeded', 42);
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += Buffer.from(chunk.value).toString();
    expect(rest).toBe('-- the rest\n');
    const audit = await t.dataSource.query(`SELECT outcome FROM audit_log WHERE action = 'export.download' AND params->>'jobId' = $1`, [id]);
    expect(audit).toEqual([{ outcome: 'success' }]);
  });

  it('cuts the reply, never ends it, when the job fails after bytes went out', async () => {
    const { id, writer } = await runningExport();
    await write(writer, '-- a part\n');
    if (testsUseS3()) {
      // Nothing is visible before the upload completes; the job fails first: 409, no file.
      const pending = follow(id);
      await sleep(200);
      await writer.abort();
      await finish(id, 'failed', 0);
      const response = await pending;
      expect(response.status).toBe(409);
      expect(await response.json()).toMatchObject({ code: 'JOB_NOT_FINISHED', message: `Export ${id} failed: there is no file` });
      return;
    }
    const response = await follow(id);
    const reader = response.body!.getReader();
    expect(Buffer.from((await reader.read()).value).toString()).toBe('-- a part\n');
    await writer.abort();
    await finish(id, 'failed', 0);
    let error: unknown = null;
    try {
      while (!(await reader.read()).done);
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ message: 'terminated' }); // undici's word for a transfer that was cut
  });

  it('a size that disagrees with the job’s result cuts the reply too', async () => {
    const { id, writer } = await runningExport();
    writer.stream.end('-- 12 bytes\n');
    await writer.done();
    await finish(id, 'succeeded', 13);
    // Succeeded before the request: the stored file is served whole, with its length (no follow needed).
    const served = await follow(id);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-length')).toBe('12');
    await served.arrayBuffer();
    if (testsUseS3()) return;
    const running = await runningExport();
    await write(running.writer, '-- 12 bytes\n');
    const response = await follow(running.id);
    const reader = response.body!.getReader();
    await reader.read();
    running.writer.stream.end();
    await running.writer.done();
    await finish(running.id, 'succeeded', 13);
    await expect(
      (async () => {
        while (!(await reader.read()).done);
      })(),
    ).rejects.toMatchObject({ message: 'terminated' });
  });

  it('waits while the job is queued; a job cancelled meanwhile answers 409; the checks of a download still apply', async () => {
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO data_jobs (type, status, tenant_id, created_by, params) VALUES ('export', 'queued', $1, $2, $3) RETURNING id`,
      [northside, sysadminId, JSON.stringify({ scope: 'tenant', tenantId: northside, format: 'json' })],
    );
    const pending = follow(id);
    await sleep(300);
    await t.dataSource.query(`UPDATE data_jobs SET status = 'cancelled', finished_at = now() WHERE id = $1`, [id]);
    const response = await pending;
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ code: 'JOB_NOT_FINISHED', message: `Export ${id} cancelled: there is no file` });

    // A client that stops waiting: the audit row says so (a 409, not an internal error).
    const [{ id: waiting }] = await t.dataSource.query(
      `INSERT INTO data_jobs (type, status, tenant_id, created_by, params) VALUES ('export', 'queued', $1, $2, $3) RETURNING id`,
      [northside, sysadminId, JSON.stringify({ scope: 'tenant', tenantId: northside, format: 'json' })],
    );
    const leaving = new AbortController();
    const left = fetch(`${base}/api/exports/${waiting as string}/download?follow=true`, { headers: await auth(SYSADMIN), signal: leaving.signal }).catch(
      (error: unknown) => error,
    );
    await sleep(300);
    leaving.abort();
    await left;
    const audited = await until(async () => {
      const rows: { outcome: string; error: string }[] = await t.dataSource.query(
        `SELECT outcome, params->>'error' AS error FROM audit_log WHERE action = 'export.download' AND params->>'jobId' = $1`,
        [waiting],
      );
      return rows[0];
    });
    expect(audited).toEqual({ outcome: 'failure', error: `Export ${waiting as string} is still queued: the download stopped waiting, the client went away` });

    // Another user's export: 403 at once, before any wait.
    const other = await follow(id, NORTHSIDE_ADMIN);
    expect(other.status).toBe(403);
    const bad = await fetch(`${base}/api/exports/${id}/download?follow=yes`, { headers: await auth(SYSADMIN) });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('follow');
  });
});
