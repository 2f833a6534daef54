import { type Download, expect, type Locator, type Page } from '@playwright/test';
import { chooseOption, JOB_TIMEOUT, navigate } from './shell.page.js';

export type ExportFormat = 'json' | 'sql' | 'csv';

export class ExportPage {
  readonly progress: Locator;
  readonly result: Locator;

  constructor(private readonly page: Page) {
    this.progress = page.getByTestId('export-progress');
    this.result = page.getByTestId('export-result');
  }

  async open(): Promise<void> {
    await navigate(this.page, 'export');
    await expect(this.page.getByTestId('export-start')).toBeVisible();
  }

  async chooseTenant(slug: string): Promise<void> {
    await chooseOption(this.page, 'export-tenant', `export-tenant-option-${slug}`);
    await expect(this.page.getByTestId('export-tenant')).toContainText(`(${slug})`);
  }

  /** The options of the tenant picker, as test ids (closes the picker again). */
  async tenantOptions(): Promise<string[]> {
    await this.page.getByTestId('export-tenant').click();
    const options = this.page.locator('mat-option');
    await expect(options.first()).toBeVisible();
    const ids = await options.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid') ?? ''));
    await this.page.keyboard.press('Escape');
    await expect(options.first()).toBeHidden();
    return ids;
  }

  async chooseFormat(format: ExportFormat): Promise<void> {
    const card = this.page.getByTestId(`export-format-${format}`);
    await card.click();
    await expect(card).toHaveAttribute('aria-checked', 'true');
  }

  /** Starts the export; resolves with the job id the API answered (202). */
  async start(): Promise<string> {
    const started = this.page.waitForResponse((r) => r.url().endsWith('/api/exports') && r.request().method() === 'POST');
    await this.page.getByTestId('export-start').click();
    const response = await started;
    expect(response.status()).toBe(202);
    return ((await response.json()) as { id: string }).id;
  }

  async expectDone(): Promise<void> {
    await expect(this.progress).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
    await expect(this.result).toBeVisible();
  }

  async download(): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('export-download').click();
    return download;
  }
}
