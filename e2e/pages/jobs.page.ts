import { expect, type Locator, type Page } from '@playwright/test';
import { navigate } from './shell.page.js';

export class JobsPage {
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.table = page.getByTestId('jobs-table');
  }

  async open(): Promise<void> {
    await navigate(this.page, 'jobs');
    await expect(this.table).toBeVisible();
    await expect(this.page.getByTestId('jobs-loading')).toBeHidden({ timeout: 30_000 });
  }

  row(jobId: string): Locator {
    return this.page.getByTestId(`job-row-${jobId}`);
  }

  status(jobId: string): Locator {
    return this.page.getByTestId(`job-status-${jobId}`);
  }

  /** The job ids in the table, top to bottom. */
  async listedIds(): Promise<string[]> {
    const ids = await this.table.locator('tr[data-testid^="job-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace('job-row-', ''));
  }

  /** The kind in the first column, a link to the job's detail page. */
  kindLink(jobId: string): Locator {
    return this.page.getByTestId(`job-link-${jobId}`);
  }

  async filterKind(kind: 'Export' | 'Import' | 'Dry run' | 'Backup' | 'Restore' | 'Restore preview'): Promise<void> {
    await this.page.getByRole('combobox', { name: 'Kind' }).click();
    await this.page.getByRole('option', { name: kind, exact: true }).click();
    await expect(this.page.getByRole('combobox', { name: 'Kind' })).toContainText(kind);
  }
}
