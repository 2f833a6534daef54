import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, type Page, test } from '@playwright/test';
import { AuditPage } from '../pages/audit.page.js';
import { BackupsPage } from '../pages/backups.page.js';
import { ExportPage } from '../pages/export.page.js';
import { ImportWizardPage } from '../pages/import-wizard.page.js';
import { JobsPage } from '../pages/jobs.page.js';
import { LoginPage, SYSADMIN } from '../pages/login.page.js';
import { RythmApi } from '../support/api.js';
import { encode, freshTenantBundle, runId, summarize, withFirstSessions } from '../support/bundles.js';

// The README's screenshots (docs/screenshots/), made from the real console: `npm run screenshots
// -w e2e` regenerates them. Opt-in (SCREENSHOTS=1), so that the browser suite does not rewrite
// committed files on every run.

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'screenshots');
const WIDTHS = [
  { name: '1280', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

test.skip(!process.env.SCREENSHOTS, 'screenshots are made on request: SCREENSHOTS=1 (npm run screenshots -w e2e)');

/** The whole page: the shell scrolls inside mat-sidenav-content, so the window grows to fit it first. */
async function shoot(page: Page, name: string, size: (typeof WIDTHS)[number]): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const overflow = await page.evaluate(() => {
    const content = document.querySelector('mat-sidenav-content');
    if (!content) return 0;
    content.scrollTop = 0;
    return content.scrollHeight - content.clientHeight;
  });
  if (overflow > 0) await page.setViewportSize({ width: size.width, height: Math.min(size.height + overflow, 4000) });
  // Relative times ("5 minutes ago") and the mouse pointer's hover would make every run differ more than needed.
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(OUT, `${name}-${size.name}.png`), fullPage: true, animations: 'disabled', caret: 'hide' });
  await page.setViewportSize({ width: size.width, height: size.height });
}

for (const size of WIDTHS) {
  test(`screenshots at ${size.name} px`, async ({ page, request }) => {
    test.setTimeout(240_000);
    mkdirSync(OUT, { recursive: true });
    await page.setViewportSize({ width: size.width, height: size.height });
    const api = await RythmApi.signIn(request, SYSADMIN);
    const slug = `demo-${size.name}-${runId()}`;
    const full = freshTenantBundle('small', slug, `Riverside Athletics ${size.name}`);
    await api.importBundle(encode(full, `${slug}.json`), { strategy: 'merge', dryRun: false });
    // A replace that drops the last 30 sessions and renames one athlete: deletes, updates and a field diff.
    const edited = withFirstSessions(full, 10);
    edited.data.users[1].first_name = 'Alexandra';
    edited.summary = summarize(edited);
    const broken = structuredClone(full);
    broken.data.users[2].role = 'wizard';
    broken.data.sets[5].reps = -5;
    broken.summary = summarize(broken);

    await new LoginPage(page).signIn(SYSADMIN);
    const exportPage = new ExportPage(page);
    await exportPage.open();
    await exportPage.chooseTenant(slug);
    await shoot(page, 'export', size);

    const wizard = new ImportWizardPage(page);
    await wizard.open();
    await wizard.upload(encode(broken, `${slug}-broken.json`));
    await shoot(page, 'import-1-bundle', size);
    await wizard.nextFromBundle();
    await wizard.chooseTarget(slug);
    await wizard.chooseStrategy('replace');
    await shoot(page, 'import-2-target', size);
    await wizard.nextFromTarget();
    await wizard.validate();
    await expect(page.getByTestId('import-report-invalid')).toBeVisible();
    await shoot(page, 'import-3-validate-errors', size);

    // Back to the first step: another file.
    await wizard.stepTab('Bundle').click();
    await page.getByRole('button', { name: 'Remove this file' }).click();
    await wizard.upload(encode(edited, `${slug}-first-10-sessions.json`));
    await wizard.nextFromBundle();
    await wizard.nextFromTarget();
    await wizard.validate();
    await expect(page.getByTestId('import-report-valid')).toBeVisible();
    await shoot(page, 'import-3-validate', size);
    await wizard.nextFromValidate();
    await page.getByRole('checkbox', { name: /^Delete / }).check();
    await shoot(page, 'import-4-recap', size);
    await wizard.run();
    await expect(page.getByTestId('import-backup-link')).toContainText('Backup of');
    await shoot(page, 'import-5-result', size);
    // A backup after the replace: three quarters of the sessions are gone, and the chart says so.
    await api.createBackup((await api.tenant(slug)).id, 'after the spring clean-up');

    await page.getByTestId('import-backup-link').click();
    await expect(page.getByTestId('backup-focus')).toBeVisible();
    await expect(page.getByTestId('backups-loading')).toBeHidden();
    await expect(page.getByTestId('backups-size-drop').first()).toBeVisible();
    await shoot(page, 'backups', size);

    const audit = new AuditPage(page);
    await audit.open();
    await expect(audit.chainState).toHaveAttribute('data-state', 'intact', { timeout: 30_000 });
    await shoot(page, 'audit', size);

    const jobs = new JobsPage(page);
    await jobs.open();
    await shoot(page, 'jobs', size);
    const [latest] = (await api.jobs({ type: 'import', pageSize: 1 })).items;
    await jobs.kindLink(latest.id).click();
    await expect(page.getByRole('region', { name: 'Report' })).toBeVisible();
    await shoot(page, 'job-detail', size);
    expect(await new BackupsPage(page).table.count()).toBe(0);
  });
}
