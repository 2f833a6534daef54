import { expect, type Locator, type Page } from '@playwright/test';
import type { BundleFile } from '../support/bundles.js';
import { chooseOption, JOB_TIMEOUT, navigate } from './shell.page.js';

export type Strategy = 'replace' | 'merge' | 'skip';
export type PlanColumn = 'insert' | 'update' | 'unchanged' | 'delete' | 'skip';

/** The import wizard: bundle → target → validate (dry run) → import → result. */
export class ImportWizardPage {
  readonly manifest: Locator;
  readonly planTable: Locator;
  readonly errorsTable: Locator;
  readonly result: Locator;

  constructor(private readonly page: Page) {
    this.manifest = page.getByTestId('import-manifest');
    this.planTable = page.getByTestId('import-plan-table');
    this.errorsTable = page.getByTestId('import-errors-table');
    this.result = page.getByTestId('import-result');
  }

  async open(): Promise<void> {
    await navigate(this.page, 'import');
    await expect(this.page.getByTestId('import-dropzone')).toBeVisible();
  }

  /** Step 1: picks the file; the manifest read in the browser is shown. */
  async upload(file: BundleFile | string): Promise<void> {
    await this.page.getByTestId('import-file-input').setInputFiles(file);
    await expect(this.manifest).toBeVisible();
  }

  manifestTableRow(table: string): Locator {
    return this.page.getByTestId(`import-manifest-table-${table}`);
  }

  async nextFromBundle(): Promise<void> {
    await this.page.getByTestId('import-step1-next').click();
    await expect(this.page.getByTestId('import-step2-next')).toBeVisible();
  }

  /** Step 2: an existing tenant. */
  async chooseTarget(slug: string): Promise<void> {
    await chooseOption(this.page, 'import-target-tenant', `import-target-tenant-option-${slug}`);
    await expect(this.page.getByTestId('import-target-tenant')).toContainText(`(${slug})`);
  }

  /** Step 2: import as a new tenant (system admins). */
  async asNewTenant(name: string, slug: string): Promise<void> {
    const toggle = this.page.getByTestId('import-as-new-tenant').getByRole('switch');
    await toggle.click();
    await expect(toggle).toBeChecked();
    await this.page.getByTestId('import-new-tenant-name').fill(name);
    await this.page.getByTestId('import-new-tenant-slug').fill(slug);
  }

  async chooseStrategy(strategy: Strategy): Promise<void> {
    const radio = this.page.getByTestId(`import-strategy-${strategy}`).locator('input');
    await radio.check();
    await expect(radio).toBeChecked();
  }

  async nextFromTarget(): Promise<void> {
    await this.page.getByTestId('import-step2-next').click();
    await expect(this.page.getByTestId('import-validate')).toBeVisible();
  }

  /** Step 3: uploads the bundle for a dry run; resolves with the dry run's job id once it ended. */
  async validate(): Promise<string> {
    const started = this.page.waitForResponse((r) => r.url().endsWith('/api/imports') && r.request().method() === 'POST');
    await this.page.getByTestId('import-validate').click();
    const response = await started;
    expect(response.status()).toBe(202);
    const jobId = ((await response.json()) as { id: string }).id;
    // Once the dry run has ended the wizard shows one outcome: the plan, the error state, or why there is no report.
    const outcome = ['import-report-valid', 'import-report-invalid', 'import-report-error', 'import-validate-error'].map((id) => this.page.getByTestId(id));
    await expect(outcome.reduce((a, b) => a.or(b))).toBeVisible({ timeout: JOB_TIMEOUT });
    return jobId;
  }

  /**
   * A step's header, found by its accessible name as a screen reader announces it: a tab in the
   * horizontal stepper, a button in the vertical one (narrow windows).
   */
  stepTab(label: 'Bundle' | 'Target' | 'Validate' | 'Import' | 'Result'): Locator {
    // The number (or a warning icon), the label, and for a failed step its note: nothing else.
    const name = new RegExp(`^\\s*(\\d+\\s*)?${label}(\\s+([\\d,]+ problems?|failed))?\\s*$`);
    return this.page.getByRole('tab', { name }).or(this.page.getByRole('button', { name }));
  }

  /** The target tenant picker (a Material select: its combobox role carries the chosen value). */
  get targetTenant(): Locator {
    return this.page.getByRole('combobox', { name: 'Tenant' });
  }

  /** Steps 4 → 5 without waiting for a result: used where the run is refused or needs a confirmation first. */
  get runButton(): Locator {
    return this.page.getByRole('button', { name: 'Run the import' });
  }

  /** The plan table hides tables without changes behind a toggle: unfold them. */
  async showUnchangedTables(testId = 'import-plan-table'): Promise<void> {
    const toggle = this.page.getByTestId(`${testId}-toggle`);
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  }

  planCell(table: string, column: PlanColumn, testId = 'import-plan-table'): Locator {
    return this.page.getByTestId(`${testId}-${table}-${column}`);
  }

  get step3Next(): Locator {
    return this.page.getByTestId('import-step3-next');
  }

  /** A step's header in the stepper (clicking it is how a user tries to jump ahead). */
  stepHeader(label: 'Bundle' | 'Target' | 'Validate' | 'Import' | 'Result'): Locator {
    return this.page.locator('mat-step-header').filter({ has: this.page.locator('.mat-step-label', { hasText: new RegExp(`^\\s*${label}\\s*$`) }) });
  }

  async nextFromValidate(): Promise<void> {
    await expect(this.step3Next).toBeEnabled();
    await this.step3Next.click();
    await expect(this.page.getByTestId('import-run')).toBeVisible();
  }

  /** Step 4: the real import; resolves with its job id once the result step shows. */
  async run(): Promise<string> {
    const started = this.page.waitForResponse((r) => /\/api\/imports\/[^/]+\/apply$/.test(r.url()) && r.request().method() === 'POST');
    await this.runButton.click();
    const response = await started;
    expect(response.status()).toBe(202);
    const jobId = ((await response.json()) as { id: string }).id;
    await expect(this.result).toBeVisible({ timeout: JOB_TIMEOUT });
    return jobId;
  }
}
