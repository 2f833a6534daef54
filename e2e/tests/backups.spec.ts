import { expect, test } from '@playwright/test';
import { BackupsPage } from '../pages/backups.page.js';
import { LoginPage, SYSADMIN } from '../pages/login.page.js';
import { counts, RythmApi } from '../support/api.js';
import { encode, freshTenantBundle, runId, tenantCounts, tenantIdOf, withFirstSessions } from '../support/bundles.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

test('a backup made in the console restores the tenant after its data changed', async ({ page, request }, testInfo) => {
  // A tenant of its own with 10 of the fixture's 40 sessions.
  const slug = `e2e-backup-${runId()}`;
  const full = freshTenantBundle('small', slug);
  const tenantId = tenantIdOf(full);
  const api = await RythmApi.signIn(request, SYSADMIN);
  await api.importBundle(encode(withFirstSessions(full, 10), `${slug}-partial.json`), { strategy: 'merge', dryRun: false });
  const backedUp = counts(await api.tenant(slug));

  await new LoginPage(page).signIn(SYSADMIN);
  const backups = new BackupsPage(page);
  await backups.open();
  const note = `e2e before change ${slug}`;
  const backupJobId = await backups.createTenantBackup(slug, note);
  const backupId = String((await api.job(backupJobId)).result?.backupId);
  // As the console lists it (GET /api/backups/:id leaves tenantSlug null: see the report).
  const backup = (await api.backups({ tenantId, kind: 'manual' })).items.find((b) => b.id === backupId);
  expect(backup).toMatchObject({ kind: 'manual', scope: 'tenant', tenantId, tenantSlug: slug, note });
  expect(backup!.rowCounts.sessions).toBe(backedUp.sessions);
  await expect(backups.row(backupId)).toBeVisible();
  await expect(backups.row(backupId)).toContainText(note);

  // Change the data through the API: merge the whole fixture (30 more sessions and their sets).
  await api.importBundle(encode(full, `${slug}.json`), { strategy: 'merge', dryRun: false, targetTenantId: tenantId });
  const changed = counts(await api.tenant(slug));
  expect(changed).toEqual(tenantCounts(full));
  expect(changed).not.toEqual(backedUp);

  // Restore through the dialog: preview, type the slug, restore.
  const dialog = await backups.openRestore(backupId);
  const preview = await dialog.waitForPreview();
  if (!preview.ok) {
    await saveFinalScreenshot(page, testInfo);
    throw new Error(`the restore preview failed: ${preview.message}`);
  }
  await expect(dialog.confirmButton).toBeDisabled();
  await dialog.confirmInput.fill('not-the-slug');
  await expect(dialog.confirmButton).toBeDisabled();
  await dialog.confirm(slug);
  const failure = await dialog.failure();
  if (failure !== null) {
    await saveFinalScreenshot(page, testInfo);
    throw new Error(`the restore failed: ${failure}`);
  }
  await expect(dialog.done).toBeVisible();

  expect(counts(await api.tenant(slug))).toEqual(backedUp);
  const preRestore = await api.backups({ tenantId, kind: 'pre-restore' });
  expect(preRestore.items.length).toBeGreaterThanOrEqual(1);
  expect(preRestore.items[0].rowCounts.sessions).toBe(changed.sessions);

  await saveFinalScreenshot(page, testInfo);
});
