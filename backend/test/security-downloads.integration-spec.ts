import { gunzipSync } from 'node:zlib';
import type { Response } from 'supertest';
import { hashPassword } from '../src/auth/password.js';
import { DEMO_PASSWORD } from '../src/database/seed/demo-seed.js';
import { createTestApp, HARBOR_ADMIN, NORTHSIDE_ADMIN, SYSADMIN, type TestApp } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';

/**
 * An org admin never receives a file that carries credentials: backups (which hold the tenant's
 * password hashes) download for system admins only, and an export's file only for the user who
 * started it and for system admins. Every refusal is a 403 with a coded, actionable message, sends
 * no file byte, and writes one denied audit row.
 */
const SECOND_NORTHSIDE_ADMIN = 'admin2@northside.example';
const BCRYPT = /\$2[aby]\$\d\d\$/;

const binary = (response: NodeJS.ReadableStream, done: (error: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  response.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  response.on('end', () => done(null, Buffer.concat(chunks)));
};

interface AuditRow {
  action: string;
  outcome: string;
  actor_email: string;
  tenant_id: string | null;
  params: { error?: string };
}

describe('downloads: credentials never reach an org admin', () => {
  let t: TestApp;
  let northside: string;
  const ids = { sysBackup: '', ownBackup: '', fullBackup: '', sysExportWithCredentials: '', sysExport: '', ownExport: '', colleagueExport: '' };

  const bearer = async (email: string) => ({ authorization: `Bearer ${await t.token(email)}` });
  const get = async (email: string, path: string) => {
    const [{ max: before }] = await t.dataSource.query(`SELECT coalesce(max(id), 0)::int AS max FROM audit_log`);
    const response: Response = await t.http
      .get(path)
      .set(await bearer(email))
      .buffer(true)
      .parse(binary as never);
    const audit: AuditRow[] = await t.dataSource.query(
      `SELECT action, outcome, actor_email, tenant_id, params FROM audit_log WHERE id > $1 AND action <> 'auth.login' ORDER BY id`,
      [before],
    );
    return { response, body: response.body as Buffer, audit };
  };
  const json = (body: Buffer) => JSON.parse(body.toString('utf8')) as { statusCode: number; code: string; message: string };

  async function exportAs(email: string, body: Record<string, unknown>): Promise<string> {
    const created = await t.http
      .post('/api/exports')
      .set(await bearer(email))
      .send(body)
      .expect(202);
    expect((await waitForJob(t, await t.token(email), created.body.id)).status).toBe('succeeded');
    return created.body.id as string;
  }
  async function backupAs(email: string, body: Record<string, unknown>): Promise<string> {
    const created = await t.http
      .post('/api/backups')
      .set(await bearer(email))
      .send(body)
      .expect(202);
    const job = await waitForJob(t, await t.token(email), created.body.id);
    expect(job.status).toBe('succeeded');
    return (job.result as { backupId: string }).backupId;
  }

  beforeAll(async () => {
    t = await createTestApp();
    [{ id: northside }] = await t.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
    await t.dataSource.query(
      `INSERT INTO users (tenant_id, email, password_hash, first_name, last_name, role) VALUES ($1, $2, $3, 'Second', 'Admin', 'org_admin')`,
      [northside, SECOND_NORTHSIDE_ADMIN, await hashPassword(DEMO_PASSWORD)],
    );
    ids.sysBackup = await backupAs(SYSADMIN, { scope: 'tenant', tenantId: northside });
    ids.ownBackup = await backupAs(NORTHSIDE_ADMIN, { scope: 'tenant' });
    ids.fullBackup = await backupAs(SYSADMIN, { scope: 'full' });
    ids.sysExportWithCredentials = await exportAs(SYSADMIN, { scope: 'tenant', tenantId: northside, format: 'sql', includeCredentials: true });
    ids.sysExport = await exportAs(SYSADMIN, { scope: 'tenant', tenantId: northside, format: 'json' });
    ids.ownExport = await exportAs(NORTHSIDE_ADMIN, { scope: 'tenant', format: 'json' });
    ids.colleagueExport = await exportAs(SECOND_NORTHSIDE_ADMIN, { scope: 'tenant', format: 'json' });
  });
  afterAll(async () => {
    await t.close();
  });

  const expectNoFile = (response: Response, body: Buffer) => {
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['content-disposition']).toBeUndefined();
    expect(response.headers['x-checksum-sha256']).toBeUndefined();
    expect(response.headers['x-bundle-sha256']).toBeUndefined();
    expect(body.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))).toBe(false); // no gzip stream
    expect(body.toString('utf8')).not.toMatch(BCRYPT);
    expect(body.toString('utf8')).not.toContain('rythm-bundle');
  };

  describe('backups', () => {
    it.each([
      ['a backup a system admin made of their tenant', () => ids.sysBackup],
      ['a backup they made themselves', () => ids.ownBackup],
    ])('refuses an org admin %s: 403 FORBIDDEN saying to export instead, no file, one denied audit row', async (_, backup) => {
      const { response, body, audit } = await get(NORTHSIDE_ADMIN, `/api/backups/${backup()}/download`);
      expect(response.status).toBe(403);
      const error = json(body);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toBe(
        "Backups carry the tenant's credentials (password hashes): only system admins can download them. To take a copy of your organisation's data, export it (Export page or `rythm-data export`)",
      );
      expectNoFile(response, body);
      expect(audit).toEqual([
        {
          action: 'backup.download',
          outcome: 'denied',
          actor_email: NORTHSIDE_ADMIN,
          tenant_id: northside,
          params: expect.objectContaining({ error: error.message }),
        },
      ]);
    });

    it('still lets the org admin list and read that backup (the download alone is refused)', async () => {
      const list = await t.http
        .get('/api/backups?pageSize=200')
        .set(await bearer(NORTHSIDE_ADMIN))
        .expect(200);
      expect(list.body.items.map((b: { id: string }) => b.id)).toEqual(expect.arrayContaining([ids.sysBackup, ids.ownBackup]));
      await t.http
        .get(`/api/backups/${ids.sysBackup}`)
        .set(await bearer(NORTHSIDE_ADMIN))
        .expect(200);
    });

    it('refuses an org admin a full backup as another tenant’s (403 TENANT_FORBIDDEN), audited', async () => {
      const { response, body, audit } = await get(NORTHSIDE_ADMIN, `/api/backups/${ids.fullBackup}/download`);
      expect(response.status).toBe(403);
      expect(json(body).code).toBe('TENANT_FORBIDDEN');
      expectNoFile(response, body);
      expect(audit).toEqual([expect.objectContaining({ action: 'backup.download', outcome: 'denied', actor_email: NORTHSIDE_ADMIN })]);
    });

    it('gives a system admin the file, credentials included (the control)', async () => {
      const { response, body, audit } = await get(SYSADMIN, `/api/backups/${ids.ownBackup}/download`);
      expect(response.status).toBe(200);
      expect(gunzipSync(body).toString()).toMatch(BCRYPT);
      expect(audit).toEqual([expect.objectContaining({ action: 'backup.download', outcome: 'success', actor_email: SYSADMIN, tenant_id: northside })]);
    });
  });

  describe('exports', () => {
    const refusals: [string, string, () => string][] = [
      ['an org admin, a system admin’s export of their tenant with credentials', NORTHSIDE_ADMIN, () => ids.sysExportWithCredentials],
      ['an org admin, a system admin’s export of their tenant without credentials', NORTHSIDE_ADMIN, () => ids.sysExport],
      ['an org admin, an export another org admin of their tenant made', NORTHSIDE_ADMIN, () => ids.colleagueExport],
      ['the other org admin, the first one’s export', SECOND_NORTHSIDE_ADMIN, () => ids.ownExport],
    ];

    it.each(refusals)('refuses %s: 403 FORBIDDEN, no file, one denied audit row', async (_, who, job) => {
      const { response, body, audit } = await get(who, `/api/exports/${job()}/download`);
      expect(response.status).toBe(403);
      const error = json(body);
      expect(error.code).toBe('FORBIDDEN');
      expect(error.message).toBe(
        `Export ${job()} was started by another user: its file downloads only for them and for system admins. Start an export of your own (Export page or \`rythm-data export\`)`,
      );
      expectNoFile(response, body);
      expect(audit).toEqual([
        { action: 'export.download', outcome: 'denied', actor_email: who, tenant_id: northside, params: expect.objectContaining({ error: error.message }) },
      ]);
    });

    it('refuses an org admin of another tenant as before (403 TENANT_FORBIDDEN), audited', async () => {
      const { response, body, audit } = await get(HARBOR_ADMIN, `/api/exports/${ids.sysExportWithCredentials}/download`);
      expect(response.status).toBe(403);
      expect(json(body).code).toBe('TENANT_FORBIDDEN');
      expectNoFile(response, body);
      expect(audit).toEqual([expect.objectContaining({ action: 'export.download', outcome: 'denied', actor_email: HARBOR_ADMIN })]);
    });

    it.each([
      ['the org admin who started it', NORTHSIDE_ADMIN, () => ids.ownExport],
      ['the other org admin who started theirs', SECOND_NORTHSIDE_ADMIN, () => ids.colleagueExport],
      ['a system admin, an org admin’s export', SYSADMIN, () => ids.ownExport],
      ['a system admin, their own export with credentials', SYSADMIN, () => ids.sysExportWithCredentials],
    ])('gives the file to %s (the control)', async (_, who, job) => {
      const { response, body, audit } = await get(who, `/api/exports/${job()}/download`);
      expect(response.status).toBe(200);
      expect(body.toString('utf8')).toContain('rythm-bundle');
      expect(audit).toEqual([expect.objectContaining({ action: 'export.download', outcome: 'success', actor_email: who })]);
    });

    it('keeps credentials out of every export an org admin can download', async () => {
      for (const [who, job] of [
        [NORTHSIDE_ADMIN, ids.ownExport],
        [SECOND_NORTHSIDE_ADMIN, ids.colleagueExport],
      ]) {
        const { response, body } = await get(who, `/api/exports/${job}/download`);
        expect(response.status).toBe(200);
        expect(body.toString('utf8')).not.toMatch(BCRYPT);
        expect(body.toString('utf8')).not.toContain('password_hash');
      }
    });
  });
});
