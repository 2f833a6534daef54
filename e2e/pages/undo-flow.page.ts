import { expect, type Locator, type Page } from '@playwright/test';
import { JOB_TIMEOUT } from './shell.page.js';

export type UndoColumn = 'delete' | 'restore' | 'reinsert';

/**
 * The undo flow (frontend shared/undo/undo-flow): in the import wizard's result, and in the dialog
 * that the Jobs, job and Backups pages open. A check (dry-run undo) first, then the confirmation.
 */
export class UndoFlow {
  readonly root: Locator;
  readonly plan: Locator;
  readonly conflicts: Locator;
  readonly done: Locator;

  constructor(
    private readonly page: Page,
    scope: Locator = page.locator('body'),
  ) {
    this.root = scope.getByTestId('undo-flow');
    this.plan = this.root.getByTestId('undo-plan');
    this.conflicts = this.root.getByTestId('undo-conflicts');
    this.done = this.root.getByTestId('undo-done');
  }

  /** Starts the check from the wizard's result; resolves with the check job's id once its plan shows. */
  async check(): Promise<string> {
    const started = this.page.waitForResponse((r) => /\/api\/imports\/[^/]+\/undo$/.test(r.url()) && r.request().method() === 'POST');
    await this.root.getByRole('button', { name: 'Undo this import' }).click();
    const response = await started;
    expect(response.status()).toBe(202);
    expect(response.request().postDataJSON()).toEqual({ dryRun: true });
    await expect(this.plan).toBeVisible({ timeout: JOB_TIMEOUT });
    return ((await response.json()) as { id: string }).id;
  }

  planCell(table: string, column: UndoColumn): Locator {
    return this.root.getByTestId(`undo-plan-${table}-${column}`);
  }

  get confirmButton(): Locator {
    return this.root.getByRole('button', { name: /^(Undo|Redo) the import$/ });
  }

  /** Confirms; resolves with the undo job's id once it has been applied. */
  async confirm(): Promise<string> {
    const started = this.page.waitForResponse((r) => /\/api\/imports\/[^/]+\/undo$/.test(r.url()) && r.request().method() === 'POST');
    await this.confirmButton.click();
    const response = await started;
    expect(response.status()).toBe(202);
    await expect(this.done).toBeVisible({ timeout: JOB_TIMEOUT });
    return ((await response.json()) as { id: string }).id;
  }
}
