import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportReport } from '../src/shared/api-types.js';
import { createTestApp, SYSADMIN } from './support/test-app.js';
import { waitForJob } from './support/wait-for-job.js';
import { binary } from './support/http.js';

/**
 * PRE_IMPORT_BACKUP=full: the old restore point, a full backup of the scope. In its own file:
 * two Nest apps in one Jest module registry share passport's global strategy.
 */
describe('PRE_IMPORT_BACKUP=full', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rythm-undo-full-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('keeps the full pre-import backup, and then an import cannot be undone on its own', async () => {
    const full = await createTestApp({ seed: true, env: { PRE_IMPORT_BACKUP: 'full' } });
    try {
      const token = await full.token(SYSADMIN);
      const [{ id: northside }] = await full.dataSource.query(`SELECT id FROM tenants WHERE slug = 'northside'`);
      const exported = await full.http
        .post('/api/exports')
        .set('authorization', `Bearer ${token}`)
        .send({ scope: 'tenant', tenantId: northside, format: 'sql' });
      await waitForJob(full, token, exported.body.id);
      const file = await full.http
        .get(`/api/exports/${exported.body.id}/download`)
        .set('authorization', `Bearer ${token}`)
        .buffer(true)
        .parse(binary as never);
      const bundle = join(dir, 'northside.sql');
      await writeFile(bundle, file.body as Buffer);
      await full.dataSource.query(`UPDATE users SET first_name = 'Drifted' WHERE tenant_id = $1 AND role = 'athlete'`, [northside]);

      const response = await full.http
        .post('/api/imports')
        .set('authorization', `Bearer ${token}`)
        .field('scope', 'tenant')
        .field('strategy', 'merge')
        .field('dryRun', 'false')
        .attach('file', bundle);
      const job = await waitForJob(full, token, response.body.id);
      expect(job.status).toBe('succeeded');
      const report = (await full.http.get(`/api/imports/${job.id}/report`).set('authorization', `Bearer ${token}`)).body as ImportReport;
      expect(report.plan.find((p) => p.table === 'users')?.update).toBeGreaterThan(0);
      expect(report.restorePoint).toBe('full');
      const [backup] = await full.dataSource.query(`SELECT kind, content FROM backups WHERE id = $1`, [report.backupId]);
      expect(backup).toEqual({ kind: 'pre-import', content: 'bundle' });
      const refused = await full.http.post(`/api/imports/${job.id}/undo`).set('authorization', `Bearer ${token}`).send({});
      expect(refused.status).toBe(410);
      expect(refused.body.message).toContain(`Restore backup ${report.backupId}`);
    } finally {
      await full.close();
    }
  });
});
