import { expect, test } from '@playwright/test';
import { LoginPage, NORTHSIDE_ADMIN, SYSADMIN } from '../pages/login.page.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

test('a system admin signs in and sees the navigation of every page', async ({ page }, testInfo) => {
  await new LoginPage(page).signIn(SYSADMIN);
  for (const nav of ['nav-export', 'nav-import', 'nav-backups', 'nav-audit', 'nav-jobs']) {
    await expect(page.getByTestId(nav)).toBeVisible();
  }
  await saveFinalScreenshot(page, testInfo);
});

test('a wrong password keeps the user on the login page with a message', async ({ page }, testInfo) => {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(NORTHSIDE_ADMIN);
  await page.getByTestId('login-password').fill('wrong-password');
  await page.getByTestId('login-submit').click();
  await expect(page.getByText(/Email or password is wrong/)).toBeVisible();
  await expect(page).toHaveURL(/\/login/);
  await saveFinalScreenshot(page, testInfo);
});
