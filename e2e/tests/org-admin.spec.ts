import { expect, test } from '@playwright/test';
import { AuditPage } from '../pages/audit.page.js';
import { BackupsPage } from '../pages/backups.page.js';
import { ExportPage } from '../pages/export.page.js';
import { ImportWizardPage } from '../pages/import-wizard.page.js';
import { LoginPage, NORTHSIDE_ADMIN, SYSADMIN } from '../pages/login.page.js';
import { RythmApi } from '../support/api.js';
import { runId } from '../support/bundles.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

test("an org admin sees only their own tenant's data and none of the system admin's choices", async ({ page, request }, testInfo) => {
  // Backups (and their audit entries) of both demo tenants, so that a leak would show.
  const sys = await RythmApi.signIn(request, SYSADMIN);
  const northside = await sys.tenant('northside');
  const harbor = await sys.tenant('harbor');
  const tag = runId();
  const northsideBackup = await sys.createBackup(northside.id, `e2e org admin ${tag}`);
  const harborBackup = await sys.createBackup(harbor.id, `e2e org admin ${tag}`);

  await new LoginPage(page).signIn(NORTHSIDE_ADMIN);
  await expect(page.getByTestId('shell-user-role')).toContainText(/org/i);

  // Export: their one tenant, written out (a picker with one option is no choice); no scope choice, no credentials.
  const exportPage = new ExportPage(page);
  await exportPage.open();
  await expect(page.getByTestId('export-tenant')).toContainText('Northside Strength (northside)');
  await expect(page.getByRole('combobox', { name: 'Tenant' })).toHaveCount(0);
  await expect(page.getByText('the global library, or everything')).toHaveCount(0);
  for (const id of ['export-scope-tenant', 'export-scope-global', 'export-scope-full', 'export-include-credentials']) {
    await expect(page.getByTestId(id)).toHaveCount(0);
  }

  // Import: no "import as new tenant", no scope choice.
  const wizard = new ImportWizardPage(page);
  await wizard.open();
  await expect(page.getByTestId('import-as-new-tenant')).toHaveCount(0);
  await expect(page.getByTestId('import-scope-global')).toHaveCount(0);

  // Backups: northside's only, no deletion.
  const orgAdmin = await RythmApi.signIn(request, NORTHSIDE_ADMIN);
  const visible = await orgAdmin.backups({ pageSize: 25 });
  expect(visible.items.length).toBeGreaterThan(0);
  expect(visible.items.every((b) => b.tenantId === northside.id)).toBe(true);
  const backups = new BackupsPage(page);
  await backups.open();
  await expect(backups.row(northsideBackup)).toBeVisible();
  await expect(backups.row(harborBackup)).toHaveCount(0);
  expect(await backups.listedIds()).toEqual(visible.items.map((b) => b.id));
  await expect(page.getByTestId('backups-filter-tenant')).toHaveCount(0);
  await expect(page.locator('[data-testid^="backup-delete-"]')).toHaveCount(0);
  // Backups carry credentials: no download for org admins, and the page says why.
  await expect(page.locator('[data-testid^="backup-download-"]')).toHaveCount(0);
  await expect(page.getByText('Backups carry credentials; only system admins can download them.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Export your organisation' })).toHaveAttribute('href', '/export');

  // Audit: northside's entries only (the harbor backup's entry is not among them).
  const entries = await orgAdmin.audit({ pageSize: 50 });
  expect(entries.items.length).toBeGreaterThan(0);
  expect(entries.items.every((e) => e.tenantId === northside.id)).toBe(true);
  const harborEntry = (await sys.audit({ action: 'backup.create', tenantId: harbor.id, pageSize: 1 })).items[0];
  expect(harborEntry).toBeDefined();
  const audit = new AuditPage(page);
  await audit.open();
  await expect(audit.rows().first()).toBeVisible();
  expect(await audit.listedIds()).toEqual(entries.items.map((e) => e.id));
  await expect(audit.row(harborEntry.id)).toHaveCount(0);
  await expect(page.getByTestId('audit-filter-tenant')).toHaveCount(0);
  await expect(audit.table).not.toContainText('harbor');

  await saveFinalScreenshot(page, testInfo);
});
