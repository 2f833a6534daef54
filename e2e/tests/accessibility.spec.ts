import { expect, test } from '@playwright/test';
import { AuditPage } from '../pages/audit.page.js';
import { BackupsPage } from '../pages/backups.page.js';
import { ExportPage } from '../pages/export.page.js';
import { ImportWizardPage } from '../pages/import-wizard.page.js';
import { JobsPage } from '../pages/jobs.page.js';
import { LoginPage, NORTHSIDE_ADMIN, SYSADMIN } from '../pages/login.page.js';
import { RythmApi } from '../support/api.js';
import { expectNoSeriousViolations } from '../support/axe.js';
import { encode, freshTenantBundle, runId, summarize } from '../support/bundles.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

// axe-core on every page of the console, in the states a person sees: no serious or critical
// violations.

test('every page passes axe-core for a system admin: sign-in, export, each wizard step, backups, audit, jobs, a job', async ({ page, request }, testInfo) => {
  test.setTimeout(180_000);
  const api = await RythmApi.signIn(request, SYSADMIN);
  const slug = `e2e-axe-${runId()}`;
  const bundle = freshTenantBundle('small', slug);
  await api.importBundle(encode(bundle, `${slug}.json`), { strategy: 'merge', dryRun: false });

  await page.goto('/login');
  await expect(page.getByTestId('login-submit')).toBeVisible();
  await expectNoSeriousViolations(page, 'the sign-in page');
  await new LoginPage(page).signIn(SYSADMIN);

  const exportPage = new ExportPage(page);
  await exportPage.open();
  await exportPage.chooseTenant('northside');
  await expectNoSeriousViolations(page, 'the export page');

  const wizard = new ImportWizardPage(page);
  await wizard.open();
  await expectNoSeriousViolations(page, 'the wizard, empty');
  const edited = structuredClone(bundle);
  edited.data.users[0].first_name = 'Edited';
  edited.summary = summarize(edited);
  await wizard.upload(encode(edited, `${slug}-edited.json`));
  await expectNoSeriousViolations(page, 'the wizard, bundle step');
  await wizard.nextFromBundle();
  await wizard.chooseTarget(slug);
  await wizard.chooseStrategy('merge');
  await expectNoSeriousViolations(page, 'the wizard, target step');
  await wizard.nextFromTarget();
  await wizard.validate();
  await expect(page.getByTestId('import-report-valid')).toBeVisible();
  await expectNoSeriousViolations(page, 'the wizard, a valid dry run');
  await wizard.nextFromValidate();
  await expectNoSeriousViolations(page, 'the wizard, the recap');
  await wizard.run();
  await expectNoSeriousViolations(page, 'the wizard, the result');

  const backups = new BackupsPage(page);
  await backups.open();
  await expectNoSeriousViolations(page, 'the backups page');

  const audit = new AuditPage(page);
  await audit.open();
  await expect(audit.chainState).toHaveAttribute('data-state', 'intact', { timeout: 30_000 });
  await expectNoSeriousViolations(page, 'the audit page');

  const jobs = new JobsPage(page);
  await jobs.open();
  await expectNoSeriousViolations(page, 'the jobs page');
  const [latest] = await jobs.listedIds();
  await jobs.kindLink(latest).click();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNoSeriousViolations(page, 'a job');

  await saveFinalScreenshot(page, testInfo);
});

test('the failed-validation state and the org admin pages pass axe-core', async ({ page, request }, testInfo) => {
  const slug = `e2e-axe-bad-${runId()}`;
  const bad = freshTenantBundle('small', slug);
  bad.data.sets[0].reps = -1;
  bad.summary = summarize(bad);

  await new LoginPage(page).signIn(SYSADMIN);
  const wizard = new ImportWizardPage(page);
  await wizard.open();
  await wizard.upload(encode(bad, `${slug}.json`));
  await wizard.nextFromBundle();
  await wizard.asNewTenant(`E2E ${slug}`, slug);
  await wizard.chooseStrategy('merge');
  await wizard.nextFromTarget();
  await wizard.validate();
  await expect(page.getByTestId('import-report-invalid')).toBeVisible();
  await expectNoSeriousViolations(page, 'the wizard, a failed validation');

  await page.getByTestId('shell-signout').click();
  await new LoginPage(page).signIn(NORTHSIDE_ADMIN);
  for (const target of ['export', 'import', 'backups', 'audit', 'jobs'] as const) {
    await page.getByTestId(`nav-${target}`).click();
    await expect(page).toHaveURL(new RegExp(`/${target}`));
    await expect(page.getByRole('progressbar')).toHaveCount(0, { timeout: 30_000 });
    await expectNoSeriousViolations(page, `the ${target} page of an org admin`);
  }
  expect(await RythmApi.signIn(request, NORTHSIDE_ADMIN)).toBeDefined();
  await saveFinalScreenshot(page, testInfo);
});
