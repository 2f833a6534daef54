import { expect, test } from '@playwright/test';
import { AuditPage } from '../pages/audit.page.js';
import { LoginPage, SYSADMIN } from '../pages/login.page.js';
import { RythmApi } from '../support/api.js';
import { encode, freshTenantBundle, runId } from '../support/bundles.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

test('the audit page lists export, download, import and backup actions and shows the chain intact', async ({ page, request }, testInfo) => {
  // The actions, done through the API by this test: an export and its download, an import (a dry run), a backup.
  const api = await RythmApi.signIn(request, SYSADMIN);
  const northside = await api.tenant('northside');
  const actions = ['export.create', 'export.download', 'import.create', 'backup.create'] as const;
  const labels: Record<(typeof actions)[number], string> = {
    'export.create': 'Export',
    'export.download': 'Export download',
    'import.create': 'Import upload',
    'backup.create': 'Backup',
  };
  const before = Object.fromEntries(await Promise.all(actions.map(async (a) => [a, (await api.audit({ action: a, pageSize: 1 })).total] as const)));
  const exported = await api.exportTenant(northside.id, 'json');
  await api.downloadExport(exported.id);
  const slug = `e2e-audit-${runId()}`;
  const dryRun = await api.startImport(encode(freshTenantBundle('small', slug), `${slug}.json`), { strategy: 'merge', dryRun: true });
  await api.waitForJob(dryRun.id);
  await api.createBackup(northside.id, `e2e audit ${slug}`);

  // The newest entry of each action is the one this test caused.
  const entries: Record<string, string> = {};
  for (const action of actions) {
    await expect.poll(async () => (await api.audit({ action, pageSize: 1 })).total, { message: `${action} audited` }).toBeGreaterThan(before[action]);
    const [entry] = (await api.audit({ action, pageSize: 1 })).items;
    expect(entry).toMatchObject({ action, actorEmail: SYSADMIN, outcome: 'success' });
    entries[action] = entry.id;
  }

  await new LoginPage(page).signIn(SYSADMIN);
  const audit = new AuditPage(page);
  await audit.open();
  await expect(audit.chainState).toHaveAttribute('data-state', 'intact', { timeout: 30_000 });
  await expect(audit.chainState).toContainText(/Chain intact \(\d[\d,]* entries\)/);
  const verify = await api.auditVerify();
  expect(verify).toMatchObject({ valid: true, firstBrokenId: null });

  // Unfiltered, newest first: the backup this test made is on the first page, as is the sign-in.
  await expect(audit.row(entries['backup.create'])).toBeVisible();
  await expect(audit.row(entries['backup.create'])).toContainText('backup.create');
  const listed = await audit.listedActions();
  expect(listed).toContain('auth.login');

  // Filtered by action: each of this test's entries, and only that action.
  for (const action of actions) {
    await audit.filterAction(labels[action]);
    await expect.poll(async () => [...new Set(await audit.listedActions())], { message: `only ${action} listed` }).toEqual([action]);
    await expect(audit.row(entries[action])).toBeVisible();
    await expect(audit.row(entries[action])).toContainText(SYSADMIN);
  }

  await page.getByTestId('audit-filter-clear').click();
  await expect(audit.row(entries['backup.create'])).toBeVisible();
  await saveFinalScreenshot(page, testInfo);
});
