import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatCheckboxHarness } from '@angular/material/checkbox/testing';
import { MatRadioButtonHarness } from '@angular/material/radio/testing';
import { MatSlideToggleHarness } from '@angular/material/slide-toggle/testing';
import { MatStepperHarness } from '@angular/material/stepper/testing';
import type { BundleManifest, ImportReport, UserView } from '@rythm/api-types';
import { signInAs } from '../../testing/auth';
import { ACME, backupView, job, report, user, waitFor } from '../../testing/fixtures';
import { DownloadService } from '../core/download/download.service';
import { FakeEventSource, provideConsoleTesting } from '../../testing/providers';
import type { UndoableImportReport } from '../shared/undo/undo-report';
import { ImportWizardPage } from './import-wizard.page';

const manifest: BundleManifest = {
  format: 'rythm-bundle',
  formatVersion: 1,
  schemaVersion: 'InitialSchema1764300000000',
  scope: 'tenant',
  options: {},
  createdAt: '2026-02-01T08:00:00.000Z',
  source: { app: 'rythm-data', version: '0.1.0', tenantSlug: 'acme' },
  tables: [{ name: 'users', columns: ['id', 'email'] }],
};

function bundleFile(scope: BundleManifest['scope'] = 'tenant'): File {
  const text = `{"manifest":${JSON.stringify({ ...manifest, scope })},\n"data":{"users":[\n]},\n"summary":{"rowCounts":{"users":0},"sha256":"x"}}\n`;
  return new File([text], 'acme.json');
}

describe('ImportWizardPage', () => {
  let fixture: ComponentFixture<ImportWizardPage>;
  let http: HttpTestingController;
  let loader: HarnessLoader;

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);
  const selectedLabel = async (): Promise<string> => {
    const stepper = await loader.getHarness(MatStepperHarness);
    const [selected] = await stepper.getSteps({ selected: true });
    return selected.getLabel();
  };

  async function render(as: UserView = user('org_admin')): Promise<void> {
    TestBed.configureTestingModule({ imports: [ImportWizardPage], providers: provideConsoleTesting() });
    http = TestBed.inject(HttpTestingController);
    signInAs(as);
    fixture = TestBed.createComponent(ImportWizardPage);
    loader = TestbedHarnessEnvironment.loader(fixture);
    fixture.detectChanges();
    http.expectOne('/api/tenants').flush([ACME]);
    await fixture.whenStable();
  }

  async function chooseFile(file: File): Promise<void> {
    const input = el('import-file-input') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: [file], configurable: true });
    input.dispatchEvent(new Event('change'));
    await waitFor(() => el('import-manifest') !== null);
  }

  /** Steps 1 and 2: pick the file, read its manifest, choose merge into the (preselected) tenant. */
  async function chooseBundleAndTarget(): Promise<void> {
    await chooseFile(bundleFile());
    await waitFor(() => el('import-manifest-scope') !== null);
    expect(el('import-manifest-scope')?.textContent).toContain('One tenant: acme');
    expect(el('import-manifest-created')?.textContent).toContain('1 Feb 2026');
    expect(el('import-manifest-source')?.textContent).toContain('by RYTHM Data 0.1.0 from tenant acme');
    expect(el('import-manifest-table-users')).not.toBeNull();

    el('import-step1-next')!.click();
    await fixture.whenStable();
    expect(await selectedLabel()).toBe('Target');

    await (await loader.getHarness(MatRadioButtonHarness.with({ selector: '[data-testid="import-strategy-merge"]' }))).check();
    el('import-step2-next')!.click();
    await fixture.whenStable();
    expect(await selectedLabel()).toBe('Validate');
  }

  /** Step 3: the dry run, answered with `dryRunReport`. */
  async function validateWith(dryRunReport: ImportReport): Promise<void> {
    el('import-validate')!.click();
    const upload = http.expectOne('/api/imports');
    const form = upload.request.body as FormData;
    expect(form).toBeInstanceOf(FormData);
    expect((form.get('file') as File).name).toBe('acme.json');
    expect(form.get('scope')).toBe('tenant');
    expect(form.get('strategy')).toBe('merge');
    expect(form.get('dryRun')).toBe('true');
    expect(form.get('targetTenantId')).toBe(ACME.id);
    expect(form.get('asNewTenant')).toBe('false');
    upload.flush(job({ id: 'dry-1', type: 'import', status: 'queued' }));

    FakeEventSource.latest().send(job({ id: 'dry-1', type: 'import', status: 'succeeded' }));
    http.expectOne('/api/imports/dry-1/report').flush(dryRunReport);
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  it('cannot pass the validation step when the report has errors', async () => {
    await render();
    await chooseBundleAndTarget();

    await validateWith(
      report({
        valid: false,
        plan: [],
        errors: [{ table: 'users', rowId: 'u-9', field: 'email', message: 'expected a unique email per tenant' }],
        moreErrors: 4,
        rowLabels: { users: { 'u-9': 'Ada Lovelace <ada@acme.test>' } },
      }),
    );

    // One error state: the count (pluralised), the table with what a person recognises, the CSV.
    expect(el('import-report-invalid')?.textContent).toContain('The bundle cannot be imported: 5 problems');
    expect(el('import-validate-progress')).toBeNull();
    expect(fixture.nativeElement.textContent).not.toMatch(/failed failed|problem\(s\)/i);
    expect(el('import-errors-table')?.textContent).toContain('expected a unique email per tenant');
    expect(el('import-errors-table')?.textContent).toContain('Ada Lovelace <ada@acme.test>');
    expect(el('import-errors-table')?.textContent).toContain('Users');
    expect(el('import-errors-table-more')?.textContent).toContain('4 more');
    expect(el('import-errors-csv')?.textContent).toContain('Download all 5 problems (CSV)');
    expect(el('import-step-validate-error')?.textContent).toBe('5 problems');
    expect(el('import-plan-table')).toBeNull();
    expect((el('import-step3-next') as HTMLButtonElement).disabled).toBe(true);
    // Even selecting the next step directly is refused by the linear stepper.
    const stepper = await loader.getHarness(MatStepperHarness);
    await (await stepper.getSteps({ label: 'Import' }))[0].select();
    expect(await selectedLabel()).toMatch(/^Validate/);
  });

  it('downloads the full error list as CSV', async () => {
    await render();
    await chooseBundleAndTarget();
    await validateWith(report({ valid: false, plan: [], errors: [{ table: 'sets', rowId: 's1', field: 'reps', message: 'expected ≥ 0' }] }));
    const save = jest.spyOn(TestBed.inject(DownloadService), 'save').mockImplementation(() => undefined);

    el('import-errors-csv')!.click();
    const csv = http.expectOne('/api/imports/dry-1/errors.csv');
    csv.flush(new Blob(['table,rowId,label,field,message\n']), { headers: { 'Content-Disposition': 'attachment; filename="errors.csv"' } });
    await waitFor(() => save.mock.calls.length > 0);
    expect(save.mock.calls[0][1]).toBe('errors.csv');
  });

  it('asks for an explicit confirmation of the deletes of a replace, with the count written out', async () => {
    await render();
    await chooseBundleAndTarget();
    await validateWith(
      report({
        jobId: 'dry-1',
        plan: [
          { table: 'users', insert: 0, update: 1, unchanged: 5, delete: 0, skip: 0 },
          { table: 'sessions', insert: 2, update: 0, unchanged: 10, delete: 30, skip: 0 },
          { table: 'sets', insert: 0, update: 0, unchanged: 100, delete: 1200, skip: 0 },
        ],
      }),
    );
    el('import-step3-next')!.click();
    await fixture.whenStable();

    expect(el('import-recap-file')?.textContent).toContain('acme.json');
    expect(el('import-recap-target')?.textContent).toContain('Acme Gym (acme)');
    expect(el('import-recap-strategy')?.textContent).toContain('Merge');
    expect(el('import-recap-counts')?.textContent).toMatch(/2 to insert.*1 to update.*1,230 to delete/s);
    expect(el('import-confirm-deletes')?.textContent).toContain('Delete 1,230 rows (Sessions 30, Sets 1,200) from Acme Gym');
    const run = el('import-run') as HTMLButtonElement;
    expect(run.disabled).toBe(true);

    await (await loader.getHarness(MatCheckboxHarness.with({ selector: '[data-testid="import-confirm-deletes-box"]' }))).check();
    await fixture.whenStable();
    expect(run.disabled).toBe(false);
    expect(el('import-step4-back')).not.toBeNull();
  });

  it('preselects the tenant again after "Import another bundle"', async () => {
    await render();
    await chooseBundleAndTarget();
    await validateWith(report({ jobId: 'dry-1' }));
    el('import-step3-next')!.click();
    await fixture.whenStable();
    el('import-run')!.click();
    http.expectOne('/api/imports/dry-1/apply').flush(job({ id: 'real-1', type: 'import', status: 'succeeded' }));
    http.expectOne('/api/imports/real-1/report').flush(report({ jobId: 'real-1', applied: true, backupId: null }));
    http.expectOne('/api/tenants').flush([ACME]);
    await waitFor(() => el('import-new') !== null && el('import-result') !== null);

    el('import-new')!.click();
    http.expectOne('/api/tenants').flush([ACME]);
    await fixture.whenStable();
    expect(await selectedLabel()).toBe('Bundle');
    await chooseFile(bundleFile());
    el('import-step1-next')!.click();
    await fixture.whenStable();

    expect(el('import-target-tenant')?.textContent).toContain('Acme Gym (acme)');
  });

  it('passes a valid report, shows the plan, and applies through /apply', async () => {
    await render();
    await chooseBundleAndTarget();
    await validateWith(report({ jobId: 'dry-1' }));

    expect(el('import-plan-table')).not.toBeNull();
    expect(el('import-plan-table-users-insert')?.textContent?.trim()).toBe('2');
    expect(el('import-diffs-table')?.textContent).toContain('a@new.test');
    el('import-step3-next')!.click();
    await fixture.whenStable();
    expect(await selectedLabel()).toBe('Import');

    el('import-run')!.click();
    const apply = http.expectOne('/api/imports/dry-1/apply');
    expect(apply.request.method).toBe('POST');
    expect(apply.request.body).toEqual({});
    apply.flush(job({ id: 'real-1', type: 'import', status: 'running' }));
    await fixture.whenStable();
    expect(el('import-run-progress')).not.toBeNull();

    FakeEventSource.latest().send(job({ id: 'real-1', type: 'import', status: 'succeeded' }));
    http.expectOne('/api/imports/real-1/report').flush(report({ jobId: 'real-1', dryRun: false, applied: true, backupId: 'backup-42' }));
    http.expectOne('/api/backups/backup-42').flush(backupView({ id: 'backup-42', sizeBytes: 314_000 }));
    // Counts changed: the tenant list is reloaded.
    http.expectOne('/api/tenants').flush([ACME]);
    await fixture.whenStable();
    await waitFor(() => el('import-result') !== null);

    expect(await selectedLabel()).toBe('Result');
    expect(el('import-result')?.getAttribute('data-applied')).toBe('true');
    const link = el('import-backup-link') as HTMLAnchorElement;
    expect(link.getAttribute('href')).toBe('/backups?backup=backup-42');
    expect(link.textContent).toContain('307 KB');
    expect(link.textContent).toContain('2 Mar 2026');
    expect(el('import-restore-backup')?.textContent).toContain('Restore this backup');
  });

  it('shows what changed since the dry run when the apply finds another plan, and applies the new plan only when asked', async () => {
    await render();
    await chooseBundleAndTarget();
    await validateWith(report({ jobId: 'dry-1' }));
    el('import-step3-next')!.click();
    await fixture.whenStable();
    el('import-run')!.click();
    http.expectOne('/api/imports/dry-1/apply').flush(
      job({
        id: 'real-1',
        type: 'import',
        status: 'failed',
        error: { code: 'CONFLICT', message: 'The data changed since your dry run (users): nothing was imported' },
      }),
    );
    const usersNow = { table: 'users', insert: 2, update: 1, unchanged: 0, delete: 0, skip: 0 };
    http.expectOne('/api/imports/real-1/report').flush(
      report({
        jobId: 'real-1',
        status: 'failed',
        applied: false,
        plan: [usersNow],
        planChanges: [{ table: 'users', before: { table: 'users', insert: 2, update: 0, unchanged: 0, delete: 0, skip: 0 }, after: usersNow }],
      }),
    );
    await waitFor(() => el('import-plan-changed') !== null);

    expect(el('import-run-error')?.textContent).toContain('The data changed since your dry run');
    expect(el('import-plan-changed')?.textContent).toContain(
      'Users: 2 to insert, 0 to update, 0 to delete, 0 skipped in the dry run, now 2 to insert, 1 to update',
    );
    el('import-apply-new-plan')!.click();
    const forced = http.expectOne('/api/imports/dry-1/apply');
    expect(forced.request.body).toEqual({ force: true });
    forced.flush(job({ id: 'real-2', type: 'import', status: 'succeeded' }));
    http.expectOne('/api/imports/real-2/report').flush(report({ jobId: 'real-2', applied: true }));
    http.expectOne('/api/tenants').flush([ACME]);
    await waitFor(() => el('import-result') !== null);
  });

  it('restores the pre-import backup after confirmation', async () => {
    await render();
    await chooseBundleAndTarget();
    await validateWith(report({ jobId: 'dry-1' }));
    el('import-step3-next')!.click();
    await fixture.whenStable();
    el('import-run')!.click();
    http.expectOne('/api/imports/dry-1/apply').flush(job({ id: 'real-1', type: 'import', status: 'succeeded' }));
    http.expectOne('/api/imports/real-1/report').flush(report({ jobId: 'real-1', applied: true, backupId: 'backup-42' }));
    http.expectOne('/api/backups/backup-42').flush(backupView({ id: 'backup-42' }));
    http.expectOne('/api/tenants').flush([ACME]);
    await waitFor(() => el('import-restore-backup') !== null);

    el('import-restore-backup')!.click();
    await fixture.whenStable();
    const confirm = document.querySelector<HTMLButtonElement>('[data-testid="confirm-dialog-confirm"]');
    expect(confirm).not.toBeNull();
    confirm!.click();
    await fixture.whenStable();

    const restore = http.expectOne('/api/backups/backup-42/restore');
    expect(restore.request.body).toEqual({ dryRun: false });
    restore.flush(job({ id: 'restore-1', type: 'restore', status: 'succeeded' }));
  });

  it('offers an undo instead of a restore when the import kept a change set, checking before it undoes', async () => {
    await render();
    await chooseBundleAndTarget();
    await validateWith(report({ jobId: 'dry-1' }));
    el('import-step3-next')!.click();
    await fixture.whenStable();
    el('import-run')!.click();
    http.expectOne('/api/imports/dry-1/apply').flush(job({ id: 'real-1', type: 'import', status: 'succeeded' }));
    http.expectOne('/api/imports/real-1/report').flush(report({ jobId: 'real-1', applied: true, backupId: 'cs-42', restorePoint: 'change-set' }));
    http.expectOne('/api/backups/cs-42').flush(backupView({ id: 'cs-42', kind: 'pre-import', content: 'change-set', jobId: 'real-1' }));
    http.expectOne('/api/tenants').flush([ACME]);
    await waitFor(() => el('undo-start') !== null);

    expect(el('import-restore-backup')).toBeNull();
    expect(el('import-change-set-link')?.getAttribute('href')).toBe('/backups?backup=cs-42');
    http.expectNone('/api/imports/real-1/undo');
    el('undo-start')!.click();
    await fixture.whenStable();
    const check = http.expectOne('/api/imports/real-1/undo');
    expect(check.request.body).toEqual({ dryRun: true });
  });

  it('says which job undid the import when the report names one', async () => {
    await render();
    await chooseBundleAndTarget();
    await validateWith(report({ jobId: 'dry-1' }));
    el('import-step3-next')!.click();
    await fixture.whenStable();
    el('import-run')!.click();
    http.expectOne('/api/imports/dry-1/apply').flush(job({ id: 'real-1', type: 'import', status: 'succeeded' }));
    const undone: UndoableImportReport = report({ jobId: 'real-1', applied: true, backupId: 'cs-42', restorePoint: 'change-set' });
    undone.undoneByJobId = 'undo-7';
    http.expectOne('/api/imports/real-1/report').flush(undone);
    http.expectOne('/api/backups/cs-42').flush(backupView({ id: 'cs-42', kind: 'pre-import', content: 'change-set', jobId: 'real-1' }));
    http.expectOne('/api/tenants').flush([ACME]);
    await waitFor(() => el('import-undone-by') !== null);
    expect(el('import-undone-by')?.textContent).toContain('undo-7');
    expect(el('undo-start')).toBeNull();
  });

  it('removes the chosen file, and the bundle step then asks for one again', async () => {
    await render();
    await chooseFile(bundleFile());
    expect(el('import-dropzone')).toBeNull();

    el('import-file-remove')!.click();
    await fixture.whenStable();

    expect(el('import-manifest')).toBeNull();
    expect(el('import-dropzone')).not.toBeNull();
    el('import-step1-next')!.click();
    await fixture.whenStable();
    expect(await selectedLabel()).toBe('Bundle');
  });

  it('stops an org admin at step 1 with a global bundle', async () => {
    await render();
    await chooseFile(bundleFile('global'));

    expect(el('import-manifest-error')?.textContent).toContain('only system admins');
    el('import-step1-next')!.click();
    await fixture.whenStable();
    expect(await selectedLabel()).toBe('Bundle');
  });

  it('lets a system admin import as a new tenant (clone) with a name and slug', async () => {
    await render(user('system_admin'));
    await chooseFile(bundleFile());
    el('import-step1-next')!.click();
    await fixture.whenStable();

    await (await loader.getHarness(MatSlideToggleHarness.with({ selector: '[data-testid="import-as-new-tenant"]' }))).check();
    const name = el('import-new-tenant-name') as HTMLInputElement;
    name.value = 'QA Run 7';
    name.dispatchEvent(new Event('input'));
    await fixture.whenStable();
    expect((el('import-new-tenant-slug') as HTMLInputElement).value).toBe('qa-run-7');
    await (await loader.getHarness(MatRadioButtonHarness.with({ selector: '[data-testid="import-strategy-skip"]' }))).check();
    el('import-step2-next')!.click();
    await fixture.whenStable();
    expect(await selectedLabel()).toBe('Validate');

    el('import-validate')!.click();
    const upload = http.expectOne('/api/imports');
    const form = upload.request.body as FormData;
    expect(form.get('asNewTenant')).toBe('true');
    expect(form.get('newTenantName')).toBe('QA Run 7');
    expect(form.get('newTenantSlug')).toBe('qa-run-7');
    expect(form.get('targetTenantId')).toBeNull();
    expect(form.get('strategy')).toBe('skip');
    upload.flush(job({ id: 'dry-9', type: 'import', status: 'queued' }));
  });

  it('invalidates the dry run when the target changes', async () => {
    await render();
    await chooseBundleAndTarget();
    await validateWith(report({ jobId: 'dry-1' }));
    expect(el('import-plan-table')).not.toBeNull();

    await (await loader.getHarness(MatRadioButtonHarness.with({ selector: '[data-testid="import-strategy-replace"]' }))).check();
    await fixture.whenStable();

    expect(el('import-plan-table')).toBeNull();
    expect((el('import-step3-next') as HTMLButtonElement).disabled).toBe(true);
  });
});
