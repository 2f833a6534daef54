import { expect, test } from '@playwright/test';
import { ImportWizardPage } from '../pages/import-wizard.page.js';
import { LoginPage, SYSADMIN } from '../pages/login.page.js';
import { counts, RythmApi } from '../support/api.js';
import { type Bundle, encode, freshTenantBundle, runId, summarize, tenantCounts, tenantIdOf, withFirstSessions } from '../support/bundles.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

// Each test has its own tenant, loaded through the API from a renamed copy of the small fixture
// with only its first 10 sessions: the whole fixture then has 30 sessions (and their sets) to add.
const LOADED_SESSIONS = 10;

async function loadPartialTenant(request: Parameters<typeof RythmApi.signIn>[0], prefix: string): Promise<{ full: Bundle; slug: string }> {
  const slug = `${prefix}-${runId()}`;
  const full = freshTenantBundle('small', slug);
  const api = await RythmApi.signIn(request, SYSADMIN);
  await api.importBundle(encode(withFirstSessions(full, LOADED_SESSIONS), `${slug}-partial.json`), { strategy: 'merge', dryRun: false });
  return { full, slug };
}

test.describe('import wizard', () => {
  test('a valid bundle goes through dry run and merge import, and the tenant then holds its rows', async ({ page, request }, testInfo) => {
    const { full, slug } = await loadPartialTenant(request, 'e2e-merge');
    const tenantId = tenantIdOf(full);
    const expected = tenantCounts(full);
    const api = await RythmApi.signIn(request, SYSADMIN);
    const before = await api.tenant(slug);
    expect(before.sessions).toBe(LOADED_SESSIONS);
    const addedSets = expected.sets - before.sets;

    await new LoginPage(page).signIn(SYSADMIN);
    const wizard = new ImportWizardPage(page);
    await wizard.open();

    // 1. The bundle: its manifest, read in the browser before upload.
    await wizard.upload(encode(full, `${slug}.json`));
    await expect(page.getByTestId('import-manifest-format')).toHaveText('JSON');
    await expect(page.getByTestId('import-manifest-scope')).toHaveText(`One tenant: ${slug}`);
    await expect(page.getByTestId('import-manifest-source')).toContainText(`from tenant ${slug}`);
    await expect(wizard.manifestTableRow('sessions')).toContainText(String(expected.sessions));
    await expect(wizard.manifestTableRow('sets')).toContainText(String(expected.sets));
    await wizard.nextFromBundle();

    // 2. The target and the strategy.
    await wizard.chooseTarget(slug);
    await wizard.chooseStrategy('merge');
    await wizard.nextFromTarget();

    // 3. Dry run: the plan, nothing written yet.
    const dryRunId = await wizard.validate();
    await expect(page.getByTestId('import-report-valid')).toBeVisible();
    await expect(wizard.planTable).toBeVisible();
    await expect(wizard.planCell('sessions', 'insert')).toHaveText(String(expected.sessions - LOADED_SESSIONS));
    await expect(wizard.planCell('sets', 'insert')).toHaveText(String(addedSets));
    // Tables without changes are folded away behind a count.
    await expect(wizard.planCell('users', 'unchanged')).toHaveCount(0);
    await wizard.showUnchangedTables();
    await expect(wizard.planCell('users', 'unchanged')).toHaveText(String(expected.users));
    await expect(wizard.planCell('sessions', 'delete')).toHaveText('0');
    expect(counts(await api.tenant(slug))).toEqual(counts(before));
    const dryRun = await api.importReport(dryRunId);
    expect(dryRun).toMatchObject({ dryRun: true, valid: true, applied: false, strategy: 'merge', targetTenantId: tenantId });

    // 4. The real import, then 5. the result with the pre-import backup.
    await wizard.nextFromValidate();
    const importId = await wizard.run();
    await expect(wizard.result).toHaveAttribute('data-applied', 'true');
    await expect(wizard.planCell('sessions', 'insert', 'import-result-plan-table')).toHaveText(String(expected.sessions - LOADED_SESSIONS));
    // The restore point is the import's change set: exactly the rows it wrote, and Undo is offered.
    await expect(page.getByTestId('import-undo')).toBeVisible();
    const link = page.getByTestId('import-change-set-link');
    await expect(link).toBeVisible();

    // Read back through the API.
    const report = await api.importReport(importId);
    expect(report).toMatchObject({ applied: true, valid: true, dryRun: false, strategy: 'merge', targetTenantId: tenantId, restorePoint: 'change-set' });
    const backupId = report.backupId ?? '';
    expect(backupId).toMatch(/^[0-9a-f-]{36}$/);
    expect(report.plan.find((p) => p.table === 'sets')).toMatchObject({ insert: addedSets, delete: 0 });
    expect(counts(await api.tenant(slug))).toEqual(expected);
    const backup = await api.backup(backupId);
    expect(backup).toMatchObject({ kind: 'pre-import', content: 'change-set', scope: 'tenant', tenantId, jobId: importId });
    // It holds the rows the import inserted, not the tenant.
    expect(backup.rowCounts.sessions).toBe(expected.sessions - LOADED_SESSIONS);

    await link.click();
    await expect(page).toHaveURL(new RegExp(`/backups\\?backup=${backupId}$`));
    await expect(page.getByTestId('backup-focus-change-set')).toBeVisible();
    await expect(page.getByTestId(`backup-row-${backupId}`)).toHaveAttribute('aria-current', 'true');

    await saveFinalScreenshot(page, testInfo);
  });

  test('a bundle with an invalid row stops at validation, shows table/row/field, and changes nothing', async ({ page, request }, testInfo) => {
    const { full, slug } = await loadPartialTenant(request, 'e2e-invalid');
    const api = await RythmApi.signIn(request, SYSADMIN);
    const before = counts(await api.tenant(slug));
    // Loading the partial tenant recorded its change set; the invalid import must add nothing.
    const backupsBefore = (await api.backups({ tenantId: tenantIdOf(full) })).total;

    // One set with reps -5, nothing else fixed but the summary: the rule, not the checksum, must catch it.
    const bad = structuredClone(full);
    const badSet = bad.data.sets[bad.data.sets.length - 1];
    badSet.reps = -5;
    bad.summary = summarize(bad);

    await new LoginPage(page).signIn(SYSADMIN);
    const wizard = new ImportWizardPage(page);
    await wizard.open();
    await wizard.upload(encode(bad, `${slug}-bad.json`));
    await wizard.nextFromBundle();
    await wizard.chooseTarget(slug);
    await wizard.chooseStrategy('merge');
    await wizard.nextFromTarget();
    const dryRunId = await wizard.validate();

    await expect(page.getByTestId('import-report-invalid')).toBeVisible();
    await expect(wizard.errorsTable).toBeVisible();
    const errorRow = wizard.errorsTable.locator('tr').filter({ hasText: String(badSet.id) });
    await expect(errorRow).toHaveCount(1);
    await expect(errorRow.locator('td').nth(0)).toHaveText('Sets');
    await expect(errorRow.locator('td').nth(2)).toHaveText('reps');
    await expect(wizard.planTable).toBeHidden();

    // Step 4 cannot be reached: Next is disabled and the stepper refuses a jump.
    await expect(wizard.step3Next).toBeDisabled();
    const importStep = wizard.stepHeader('Import');
    await expect(importStep).toHaveAttribute('aria-disabled', 'true');
    await importStep.click({ force: true });
    await expect(page.getByTestId('import-run')).toBeHidden();
    await expect(page.getByTestId('import-validate')).toBeVisible();

    const report = await api.importReport(dryRunId);
    expect(report).toMatchObject({ valid: false, applied: false, backupId: null });
    expect(report.errors).toContainEqual(expect.objectContaining({ table: 'sets', rowId: badSet.id, field: 'reps' }));
    expect(counts(await api.tenant(slug))).toEqual(before);
    // Not even the restore point of a real import was taken.
    expect((await api.backups({ tenantId: tenantIdOf(full) })).total).toBe(backupsBefore);

    await saveFinalScreenshot(page, testInfo);
  });
});
