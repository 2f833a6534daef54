import { expect, type Locator, type Page } from '@playwright/test';
import { chooseOption, JOB_TIMEOUT, navigate } from './shell.page.js';

export class BackupsPage {
  readonly table: Locator;

  constructor(private readonly page: Page) {
    this.table = page.getByTestId('backups-table');
  }

  async open(): Promise<void> {
    await navigate(this.page, 'backups');
    await expect(this.table).toBeVisible();
    await expect(this.page.getByTestId('backups-loading')).toBeHidden({ timeout: JOB_TIMEOUT });
  }

  row(backupId: string): Locator {
    return this.page.getByTestId(`backup-row-${backupId}`);
  }

  /** The ids of the backups listed on this page of the table. */
  async listedIds(): Promise<string[]> {
    const ids = await this.table.locator('tr[data-testid^="backup-row-"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-testid') ?? ''));
    return ids.map((id) => id.replace('backup-row-', ''));
  }

  /** Creates a tenant backup through the dialog; resolves with the backup job's id once it has succeeded. */
  async createTenantBackup(slug: string, note: string): Promise<string> {
    await this.page.getByTestId('backup-create').click();
    await chooseOption(this.page, 'backup-create-tenant', `backup-create-tenant-option-${slug}`);
    await this.page.getByTestId('backup-create-note').fill(note);
    const started = this.page.waitForResponse((r) => r.url().endsWith('/api/backups') && r.request().method() === 'POST');
    await this.page.getByTestId('backup-create-submit').click();
    const response = await started;
    expect(response.status()).toBe(202);
    const jobId = ((await response.json()) as { id: string }).id;
    await expect(this.page.getByTestId('backup-create-progress')).toHaveAttribute('data-status', 'succeeded', { timeout: JOB_TIMEOUT });
    return jobId;
  }

  async openRestore(backupId: string): Promise<RestoreDialog> {
    await this.page.getByTestId(`backup-restore-${backupId}`).click();
    const dialog = new RestoreDialog(this.page);
    await expect(dialog.root).toBeVisible();
    return dialog;
  }
}

/** The restore dialog: a dry-run preview, then the slug typed to confirm. */
export class RestoreDialog {
  readonly root: Locator;
  readonly previewPlan: Locator;
  readonly previewError: Locator;
  readonly confirmInput: Locator;
  readonly confirmButton: Locator;
  readonly progress: Locator;
  readonly done: Locator;

  constructor(private readonly page: Page) {
    this.root = page.getByRole('dialog');
    this.previewPlan = page.getByTestId('restore-preview-plan');
    this.previewError = page.getByTestId('restore-preview-error');
    this.confirmInput = page.getByTestId('restore-confirm-input');
    this.confirmButton = page.getByTestId('restore-confirm');
    this.progress = page.getByTestId('restore-progress');
    this.done = page.getByTestId('restore-done');
  }

  /** Waits for the preview to end: the plan, or an error (its text is returned). */
  async waitForPreview(): Promise<{ ok: true } | { ok: false; message: string }> {
    await expect(this.previewPlan.or(this.previewError)).toBeVisible({ timeout: JOB_TIMEOUT });
    if (await this.previewPlan.isVisible()) return { ok: true };
    return { ok: false, message: (await this.previewError.textContent()) ?? '' };
  }

  async confirm(word: string): Promise<void> {
    await this.confirmInput.fill(word);
    await expect(this.confirmButton).toBeEnabled();
    await this.confirmButton.click();
    await expect(this.progress).toHaveAttribute('data-status', /succeeded|failed|cancelled/, { timeout: JOB_TIMEOUT });
  }

  /** After confirm(): null when the restore succeeded, else the error it shows. */
  async failure(): Promise<string | null> {
    if ((await this.progress.getAttribute('data-status')) === 'succeeded') return null;
    return (await this.page.getByTestId('restore-progress-outcome').textContent()) ?? 'no message';
  }
}
