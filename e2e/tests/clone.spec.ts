import { expect, test } from '@playwright/test';
import { ImportWizardPage } from '../pages/import-wizard.page.js';
import { LoginPage, SYSADMIN } from '../pages/login.page.js';
import { counts, RythmApi } from '../support/api.js';
import { fixturePath, readFixture, runId, tenantCounts } from '../support/bundles.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

const TENANT_TABLES = ['users', 'programs', 'workouts', 'sessions', 'sets', 'program_assignments'];

test('a system admin imports the small fixture as a new tenant, which then holds the bundle rows', async ({ page, request }, testInfo) => {
  const fixture = readFixture('small');
  const slug = `e2e-clone-${runId()}`;
  const name = `E2E clone ${slug}`;
  const api = await RythmApi.signIn(request, SYSADMIN);
  expect((await api.tenants()).map((t) => t.slug)).not.toContain(slug);

  await new LoginPage(page).signIn(SYSADMIN);
  const wizard = new ImportWizardPage(page);
  await wizard.open();
  await wizard.upload(fixturePath('small'));
  await expect(page.getByTestId('import-manifest-source')).toContainText('tenant qa-small');
  await wizard.nextFromBundle();

  await wizard.asNewTenant(name, slug);
  await wizard.chooseStrategy('merge');
  await wizard.nextFromTarget();

  await wizard.validate();
  await expect(page.getByTestId('import-report-valid')).toBeVisible();
  await expect(wizard.planCell('tenants', 'insert')).toHaveText('1');
  await expect(wizard.planCell('users', 'insert')).toHaveText(String(fixture.data.users.length));
  await expect(wizard.planCell('sets', 'insert')).toHaveText(String(fixture.data.sets.length));
  // The dry run created nothing.
  expect((await api.tenants()).map((t) => t.slug)).not.toContain(slug);

  await wizard.nextFromValidate();
  const importId = await wizard.run();
  await expect(wizard.result).toHaveAttribute('data-applied', 'true');

  // The new tenant, with the bundle's rows under new ids.
  const tenant = await api.tenant(slug);
  expect(tenant.name).toBe(name);
  expect(tenant.id).not.toBe(fixture.manifest.source.tenantId);
  expect(counts(tenant)).toEqual(tenantCounts(fixture));
  const report = await api.importReport(importId);
  expect(report).toMatchObject({ applied: true, targetTenantId: tenant.id });

  // Every tenant-owned table holds as many rows as the bundle: export it and compare.
  const exported = await api.exportTenant(tenant.id);
  const rowCounts = exported.result!.rowCounts as Record<string, number>;
  for (const table of TENANT_TABLES) expect(rowCounts[table], table).toBe(fixture.summary.rowCounts[table]);

  await saveFinalScreenshot(page, testInfo);
});
