import { expect, type Locator, type Page } from '@playwright/test';
import { navigate } from './shell.page.js';

export class AuditPage {
  readonly table: Locator;
  readonly chainState: Locator;

  constructor(private readonly page: Page) {
    this.table = page.getByTestId('audit-table');
    this.chainState = page.getByTestId('audit-chain-state');
  }

  async open(): Promise<void> {
    await navigate(this.page, 'audit');
    await expect(this.table).toBeVisible();
    await this.loaded();
  }

  async loaded(): Promise<void> {
    await expect(this.page.getByTestId('audit-loading')).toBeHidden({ timeout: 30_000 });
  }

  row(entryId: string): Locator {
    return this.page.getByTestId(`audit-row-${entryId}`);
  }

  rows(): Locator {
    return this.table.locator('tr[data-testid^="audit-row-"]');
  }

  /** The action filter is a select of the actions the API records; its options are in words, the code beneath. */
  async filterAction(label: string): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Action' }).click();
    await this.page.getByRole('option', { name: label, exact: true }).click();
    await expect(this.page.getByRole('combobox', { name: 'Action' })).toContainText(label);
  }

  /** The actions shown in the table's Action column, top to bottom. */
  async listedActions(): Promise<string[]> {
    return this.rows().locator('code').allTextContents();
  }

  async listedIds(): Promise<string[]> {
    const ids = await this.rows().evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace('audit-row-', ''));
  }
}
