import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { ImportWizardPage } from '../pages/import-wizard.page.js';
import { LoginPage, NORTHSIDE_ADMIN, SYSADMIN } from '../pages/login.page.js';
import { counts, RythmApi } from '../support/api.js';
import { type Bundle, encode, freshTenantBundle, runId, summarize, tenantIdOf, withFirstSessions } from '../support/bundles.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

// What an admin needs to see to trust an import (issue 16): the tenant preselected on every run,
// a recap with the replace confirmation, one error state with the CSV, and rows named as people
// know them.

type Request = Parameters<typeof RythmApi.signIn>[0];

/** A tenant of the test's own, loaded through the API: the whole fixture, or its first sessions. */
async function loadTenant(request: Request, prefix: string, sessions?: number): Promise<{ full: Bundle; slug: string; api: RythmApi }> {
  const slug = `${prefix}-${runId()}`;
  const full = freshTenantBundle('small', slug);
  const api = await RythmApi.signIn(request, SYSADMIN);
  const loaded = sessions === undefined ? full : withFirstSessions(full, sessions);
  await api.importBundle(encode(loaded, `${slug}-load.json`), { strategy: 'merge', dryRun: false });
  return { full, slug, api };
}

async function dryRunTo(wizard: ImportWizardPage, bundle: Bundle, fileName: string, slug: string, strategy: 'replace' | 'merge'): Promise<string> {
  await wizard.open();
  await wizard.upload(encode(bundle, fileName));
  await wizard.nextFromBundle();
  await wizard.chooseTarget(slug);
  await wizard.chooseStrategy(strategy);
  await wizard.nextFromTarget();
  return wizard.validate();
}

test('an org admin finds their tenant preselected again after "Import another bundle"', async ({ page, request }, testInfo) => {
  // Northside's own tenant row and nothing else: a merge that changes nothing, quick to run twice.
  const sys = await RythmApi.signIn(request, SYSADMIN);
  const northside = await sys.tenant('northside');
  const exported = await sys.exportTenant(northside.id, 'json');
  const bundle = JSON.parse((await sys.downloadExport(exported.id)).toString('utf8')) as Bundle;
  for (const table of Object.keys(bundle.data)) if (table !== 'tenants') bundle.data[table] = [];
  bundle.summary = summarize(bundle);
  const file = encode(bundle, `northside-tenant-only-${runId()}.json`);

  await new LoginPage(page).signIn(NORTHSIDE_ADMIN);
  const wizard = new ImportWizardPage(page);
  await wizard.open();
  await wizard.upload(file);
  await wizard.nextFromBundle();
  await expect(wizard.targetTenant).toContainText('Northside Strength');
  await wizard.chooseStrategy('merge');
  await wizard.nextFromTarget();
  await wizard.validate();
  await expect(page.getByTestId('import-report-valid')).toBeVisible();
  await wizard.nextFromValidate();
  await wizard.run();
  await expect(wizard.result).toHaveAttribute('data-applied', 'true');

  await page.getByRole('button', { name: 'Import another bundle' }).click();
  await expect(wizard.stepTab('Bundle')).toHaveAttribute('aria-selected', 'true');
  await wizard.upload(file);
  await wizard.nextFromBundle();
  // The bug of issue 16: the required Tenant field was empty on the second run.
  await expect(wizard.targetTenant).toContainText('Northside Strength');
  await wizard.chooseStrategy('merge');
  await wizard.nextFromTarget();
  await expect(page.getByTestId('import-validate')).toBeEnabled();

  await saveFinalScreenshot(page, testInfo);
});

test('the Import step recaps file, target, strategy and counts, and a replace needs its deletes confirmed', async ({ page, request }, testInfo) => {
  const { full, slug, api } = await loadTenant(request, 'e2e-recap');
  const partial = withFirstSessions(full, 10);
  const deletedSessions = full.data.sessions.length - partial.data.sessions.length;
  const deletedSets = full.data.sets.length - partial.data.sets.length;
  const deletes = deletedSessions + deletedSets;
  const fileName = `${slug}-first-10.json`;

  await new LoginPage(page).signIn(SYSADMIN);
  const wizard = new ImportWizardPage(page);
  await dryRunTo(wizard, partial, fileName, slug, 'replace');
  await expect(page.getByTestId('import-report-valid')).toBeVisible();
  await wizard.nextFromValidate();

  const recap = page.getByRole('region', { name: 'Ready to import' });
  await expect(recap.getByTestId('import-recap-file')).toContainText(fileName);
  await expect(recap.getByTestId('import-recap-target')).toHaveText(`E2E ${slug} (${slug})`);
  await expect(recap.getByTestId('import-recap-strategy')).toHaveText('Replace');
  await expect(recap.getByTestId('import-recap-counts')).toContainText(`0 to insert, 0 to update, ${deletes.toLocaleString('en')} to delete`);

  // The deletes are written out, and the import does not run until they are confirmed.
  const confirmation = page.getByRole('checkbox', {
    name: `Delete ${deletes.toLocaleString('en')} rows (Sessions ${deletedSessions}, Sets ${deletedSets.toLocaleString('en')}) from E2E ${slug} (${slug})`,
  });
  await expect(confirmation).not.toBeChecked();
  await expect(wizard.runButton).toBeDisabled();

  // Back goes to the dry run's report; Next returns to the recap, still unconfirmed.
  await page.getByTestId('import-step4-back').click();
  await expect(page.getByTestId('import-report-valid')).toBeVisible();
  await wizard.nextFromValidate();
  await expect(wizard.runButton).toBeDisabled();
  expect(counts(await api.tenant(slug)).sessions).toBe(full.data.sessions.length);

  await confirmation.check();
  await expect(wizard.runButton).toBeEnabled();
  await wizard.run();
  await expect(wizard.result).toHaveAttribute('data-applied', 'true');
  expect(counts(await api.tenant(slug))).toEqual({ users: full.data.users.length, sessions: 10, sets: partial.data.sets.length });

  await saveFinalScreenshot(page, testInfo);
});

test('a failed validation shows one error state: the count, the marked step, the rows by name, and the full list as CSV', async ({
  page,
  request,
}, testInfo) => {
  const { full, slug, api } = await loadTenant(request, 'e2e-errors', 10);
  const bad = structuredClone(full);
  const badUser = bad.data.users[bad.data.users.length - 1];
  badUser.role = 'wizard';
  const badSession = bad.data.sessions[bad.data.sessions.length - 1];
  badSession.completed_at = new Date(new Date(String(badSession.started_at)).getTime() - 3_600_000).toISOString();
  const badSet = bad.data.sets[bad.data.sets.length - 1];
  badSet.reps = -5;
  bad.summary = summarize(bad);
  const athlete = bad.data.users.find((u) => u.id === badSession.user_id)!;

  await new LoginPage(page).signIn(SYSADMIN);
  const wizard = new ImportWizardPage(page);
  const dryRunId = await dryRunTo(wizard, bad, `${slug}-bad.json`, slug, 'merge');
  const report = await api.importReport(dryRunId);
  const problems = report.errors.length + report.moreErrors;
  expect(problems).toBeGreaterThanOrEqual(3);

  // One error state, worded once and pluralised; no progress bar claiming success.
  const state = page.getByRole('alert').filter({ hasText: 'The bundle cannot be imported' });
  await expect(state).toHaveCount(1);
  await expect(state.getByRole('heading')).toHaveText(`The bundle cannot be imported: ${problems} problems`);
  await expect(page.getByTestId('import-validate-progress')).toHaveCount(0);
  await expect(page.getByRole('progressbar')).toHaveCount(0);
  await expect(page.locator('mat-stepper')).not.toContainText(/failed failed|problem\(s\)|see the report/i);
  await expect(wizard.stepTab('Validate')).toContainText(`${problems} problems`);
  for (const row of [badUser, badSession, badSet]) await expect(wizard.errorsTable.getByRole('row').filter({ hasText: String(row.id) })).toHaveCount(1);

  // Rows named as a person knows them (ImportReport.rowLabels).
  const userRow = wizard.errorsTable.getByRole('row').filter({ hasText: String(badUser.id) });
  await expect(userRow).toContainText(String(badUser.email));
  await expect(userRow).toContainText(String(badUser.first_name));
  const sessionRow = wizard.errorsTable.getByRole('row').filter({ hasText: String(badSession.id) });
  await expect(sessionRow).toContainText(`${String(athlete.first_name)} ${String(athlete.last_name)}`);

  // The whole list, as CSV.
  const saved = page.waitForEvent('download');
  await state.getByRole('button', { name: `Download all ${problems} problems (CSV)` }).click();
  const csv = (await readFile(await (await saved).path())).toString('utf8');
  const lines = csv.trim().split(/\r?\n/);
  expect(lines[0]).toBe('table,rowId,label,field,message');
  expect(lines).toHaveLength(problems + 1);
  expect(csv).toContain(String(badSet.id));
  expect(csv).toContain(String(badUser.email));
  expect(counts(await api.tenant(slug)).sessions).toBe(10);

  await saveFinalScreenshot(page, testInfo);
});

test('the changed fields name the row a person recognises next to its id', async ({ page, request }, testInfo) => {
  const { full, slug, api } = await loadTenant(request, 'e2e-labels');
  const edited = structuredClone(full);
  const user = edited.data.users[0];
  user.first_name = `${String(user.first_name)}-edited`;
  edited.summary = summarize(edited);

  await new LoginPage(page).signIn(SYSADMIN);
  const wizard = new ImportWizardPage(page);
  const dryRunId = await dryRunTo(wizard, edited, `${slug}-edited.json`, slug, 'merge');
  await expect(page.getByTestId('import-report-valid')).toBeVisible();
  await expect(wizard.planCell('users', 'update')).toHaveText('1');
  const diffs = page.getByRole('table', { name: 'Field changes' });
  const row = diffs.getByRole('row').filter({ hasText: String(user.id) });
  await expect(row).toContainText('first_name');
  await expect(row).toContainText(String(user.first_name));
  await expect(row.getByRole('cell').first()).toHaveText('Users');
  await expect(row.getByTestId('row-label')).toContainText(String(user.email));
  expect(tenantIdOf(full)).toBe((await api.tenant(slug)).id);

  await saveFinalScreenshot(page, testInfo);
});
