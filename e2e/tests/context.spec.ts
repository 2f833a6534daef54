import { expect, test } from '@playwright/test';
import { ExportPage } from '../pages/export.page.js';
import { LoginPage, NORTHSIDE_ADMIN, SYSADMIN } from '../pages/login.page.js';
import { type ConsolePage, navigate } from '../pages/shell.page.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

// Which organisation am I acting for? (issue 16, point 1): the toolbar says it on every page.
const PAGES: ConsolePage[] = ['export', 'import', 'backups', 'audit', 'jobs'];

test("an org admin sees their organisation's name on every page", async ({ page }, testInfo) => {
  await new LoginPage(page).signIn(NORTHSIDE_ADMIN);
  const banner = page.getByRole('banner');
  for (const target of PAGES) {
    await navigate(page, target);
    await expect(banner, `on the ${target} page`).toContainText('Organisation');
    await expect(banner.getByTestId('shell-org-name'), `on the ${target} page`).toHaveText('Northside Strength');
  }
  await saveFinalScreenshot(page, testInfo);
});

test('a system admin sees the tenant a page acts on, and "All organisations" otherwise', async ({ page }, testInfo) => {
  await new LoginPage(page).signIn(SYSADMIN);
  const orgName = page.getByRole('banner').getByTestId('shell-org-name');
  const exportPage = new ExportPage(page);
  await exportPage.open();
  await expect(orgName).toHaveText('All organisations');
  await exportPage.chooseTenant('harbor');
  await expect(page.getByRole('banner')).toContainText('Acting on');
  await expect(orgName).toHaveText('Harbor CrossFit');

  // Global data belongs to no tenant.
  await page.getByTestId('export-scope-global').click();
  await expect(orgName).toHaveText('All organisations');

  // Leaving the page forgets its tenant.
  await navigate(page, 'audit');
  await expect(orgName).toHaveText('All organisations');
  await saveFinalScreenshot(page, testInfo);
});
