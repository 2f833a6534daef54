import { expect, type Page } from '@playwright/test';

export type ConsolePage = 'export' | 'import' | 'backups' | 'audit' | 'jobs';

/** Opens a page through the side navigation, as a user does (on a narrow window, through the menu button first). */
export async function navigate(page: Page, target: ConsolePage): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Open navigation' });
  if (await toggle.isVisible()) {
    await toggle.click();
    await expect(page.getByTestId(`nav-${target}`)).toBeVisible();
  }
  await page.getByTestId(`nav-${target}`).click();
  await expect(page).toHaveURL(new RegExp(`/${target}(\\?|$)`));
}

/** Chooses an option of a Material select whose options carry test ids. */
export async function chooseOption(page: Page, selectTestId: string, optionTestId: string): Promise<void> {
  await page.getByTestId(selectTestId).click();
  await page.getByTestId(optionTestId).click();
  await expect(page.getByTestId(optionTestId)).toBeHidden();
}

/** Every job, export and import here runs in the background: generous, on a busy 2-core machine. */
export const JOB_TIMEOUT = 90_000;
