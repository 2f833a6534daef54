import { BreakpointObserver } from '@angular/cdk/layout';
import { STEPPER_GLOBAL_OPTIONS } from '@angular/cdk/stepper';
import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, type WritableSignal, computed, effect, inject, signal, viewChild } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { MatStepper, MatStepperModule } from '@angular/material/stepper';
import { RouterLink } from '@angular/router';
import type { BackupView, ExportScope, ImportReport, ImportStrategy, JobView, TablePlan } from '@rythm/api-types';
import { SLUG_PATTERN } from '@rythm/api-types';
import { map, merge } from 'rxjs';
import { ApiClient } from '../core/api/api-client';
import { TenantDirectory } from '../core/api/tenant-directory';
import { AuthService } from '../core/auth/auth.service';
import { DownloadService } from '../core/download/download.service';
import { describeError, describeErrorAsync } from '../core/errors/error-message';
import { ErrorNotifier } from '../core/errors/error-notifier';
import { ActingTenant } from '../core/layout/acting-tenant';
import { BytesPipe } from '../shared/bytes.pipe';
import { confirmAction } from '../shared/confirm-dialog.component';
import { DateTimePipe } from '../shared/date-time.pipe';
import { ErrorPanelComponent } from '../shared/error-panel.component';
import { preselectTenant, setEnabled } from '../shared/forms';
import { BundleErrorsTableComponent } from '../shared/import-report/bundle-errors-table.component';
import { DiffsTableComponent } from '../shared/import-report/diffs-table.component';
import { PlanTableComponent } from '../shared/import-report/plan-table.component';
import { JobProgressComponent } from '../shared/job-progress.component';
import { JobRun } from '../shared/job-run';
import { plural, tableLabel } from '../shared/text';
import { UndoFlowComponent } from '../shared/undo/undo-flow.component';
import type { UndoableImportReport } from '../shared/undo/undo-report';
import { FileDropComponent } from './file-drop.component';
import { buildImportRequest } from './import-request';
import { type ManifestInfo, readManifest } from './manifest-reader';
import { ManifestViewComponent } from './manifest-view.component';

/** As the API checks it: lower-case letters, digits and hyphens, 1 to 64 characters. */

interface StrategyOption {
  value: ImportStrategy;
  label: string;
  description: string;
}

const STRATEGIES: readonly StrategyOption[] = [
  {
    value: 'replace',
    label: 'Replace',
    description: 'The tenant ends exactly as the bundle: rows that are not in the bundle are deleted.',
  },
  {
    value: 'merge',
    label: 'Merge',
    description: 'Rows of the bundle are inserted or updated; all other rows are kept.',
  },
  {
    value: 'skip',
    label: 'Skip existing',
    description: 'Only rows whose id does not exist yet are inserted; existing rows are left untouched.',
  },
];

/** The plan's totals, and the deletes per table written out for the replace confirmation. */
export function planTotals(report: ImportReport): { insert: number; update: number; delete: number; skip: number; deletes: string } {
  const sum = { insert: 0, update: 0, delete: 0, skip: 0 };
  const deletes: string[] = [];
  for (const row of report.plan) {
    sum.insert += row.insert;
    sum.update += row.update;
    sum.delete += row.delete;
    sum.skip += row.skip;
    if (row.delete > 0) deletes.push(`${tableLabel(row.table)} ${row.delete.toLocaleString('en')}`);
  }
  return { ...sum, deletes: deletes.join(', ') };
}

/**
 * The import wizard: bundle → target → validation (dry run) → import → result.
 * Each step has its own form bound through [stepControl]; the stepper is linear.
 */
@Component({
  selector: 'app-import-wizard-page',
  imports: [
    ReactiveFormsModule,
    RouterLink,
    DecimalPipe,
    BytesPipe,
    DateTimePipe,
    MatStepperModule,
    MatButtonModule,
    MatCheckboxModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatRadioModule,
    MatSelectModule,
    MatSlideToggleModule,
    ErrorPanelComponent,
    JobProgressComponent,
    PlanTableComponent,
    BundleErrorsTableComponent,
    DiffsTableComponent,
    FileDropComponent,
    ManifestViewComponent,
    UndoFlowComponent,
  ],
  // A step whose validation failed is marked as an error in the stepper header.
  providers: [{ provide: STEPPER_GLOBAL_OPTIONS, useValue: { showError: true } }],
  templateUrl: './import-wizard.page.html',
  styleUrl: './import-wizard.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ImportWizardPage {
  private readonly api = inject(ApiClient);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);
  private readonly downloads = inject(DownloadService);
  private readonly notifier = inject(ErrorNotifier);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly stepper = viewChild.required(MatStepper);
  protected readonly directory = inject(TenantDirectory);

  protected readonly strategies = STRATEGIES;
  protected readonly isSystemAdmin = this.auth.isSystemAdmin;
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((s) => s.matches)),
    { initialValue: false },
  );

  // Step 1: the bundle.
  protected readonly fileForm = this.fb.group({ file: this.fb.control<File | null>(null, Validators.required) });
  protected readonly manifest = signal<ManifestInfo | null>(null);
  protected readonly reading = signal(false);

  // Step 2: where and how.
  protected readonly targetForm = this.fb.group({
    scope: this.fb.control<ExportScope>('tenant'),
    targetTenantId: ['', Validators.required],
    strategy: this.fb.control<ImportStrategy | ''>('', Validators.required),
    asNewTenant: [false],
    // Both optional: the server defaults to "<name> (copy)" and "<slug>-copy".
    newTenantName: ['', [Validators.maxLength(200)]],
    newTenantSlug: ['', [Validators.pattern(SLUG_PATTERN)]],
  });
  private readonly target = toSignal(this.targetForm.valueChanges.pipe(map(() => this.targetForm.getRawValue())), {
    initialValue: this.targetForm.getRawValue(),
  });
  protected readonly scope = computed(() => (this.isSystemAdmin() ? this.target().scope : 'tenant'));
  protected readonly asNewTenant = computed(() => this.scope() === 'tenant' && this.target().asNewTenant);

  // Step 3: dry run. The step passes only with a valid report.
  protected readonly validationForm = this.fb.group({ valid: [false, Validators.requiredTrue] });
  protected readonly dryRun = new JobRun();
  protected readonly dryRunReport = signal<ImportReport | null>(null);
  protected readonly reportError = signal<string | null>(null);
  protected readonly loadingReport = signal(false);
  protected readonly csvError = signal<string | null>(null);
  protected readonly downloadingCsv = signal(false);
  /** The one error state of a failed validation: the report says the bundle cannot be imported. */
  protected readonly validationFailed = computed(() => {
    const report = this.dryRunReport();
    return (report !== null && !report.valid) || this.reportError() !== null || this.dryRun.error() !== null;
  });
  protected readonly problemCount = computed(() => {
    const report = this.dryRunReport();
    return report ? report.errors.length + report.moreErrors : 0;
  });
  protected readonly problemText = computed(() => plural(this.problemCount(), 'problem'));

  /** A zip bundle's manifest is only known after upload: show the one the server read. */
  protected readonly serverManifest = computed<ManifestInfo | null>(() => {
    const local = this.manifest();
    const fromServer = this.dryRunReport()?.manifest;
    if (!local || local.manifest || !fromServer) return null;
    return { ...local, manifest: fromServer, note: null, error: null };
  });

  // Step 4: the recap and the real import.
  protected readonly runForm = this.fb.group({ done: [false, Validators.requiredTrue] });
  /** Replace deletes rows: the user confirms the written-out count before the import runs. */
  protected readonly confirmDeletes = this.fb.control(false);
  private readonly deletesConfirmed = toSignal(this.confirmDeletes.valueChanges, { initialValue: false });
  protected readonly importRun = new JobRun();
  protected readonly finalReport = signal<ImportReport | null>(null);
  /** An apply that found the target changed since the dry run: what differs, table by table, in words. */
  protected readonly planChangeLines = computed(() =>
    (this.finalReport()?.planChanges ?? []).map((change) => {
      const counts = (p: TablePlan | null) =>
        p ? `${p.insert} to insert, ${p.update} to update, ${p.delete} to delete, ${p.skip} skipped` : 'not in the dry run';
      return { table: change.table, text: `${tableLabel(change.table)}: ${counts(change.before)} in the dry run, now ${counts(change.after)}` };
    }),
  );
  /** Once the real import has started, the earlier steps can no longer change. */
  protected readonly committed = computed(() => this.importRun.job() !== null || this.importRun.starting());
  protected readonly totals = computed(() => {
    const report = this.dryRunReport();
    return report ? planTotals(report) : null;
  });
  protected readonly needsDeleteConfirmation = computed(() => (this.totals()?.delete ?? 0) > 0);
  protected readonly canRun = computed(() => !this.committed() && (!this.needsDeleteConfirmation() || this.deletesConfirmed()));
  /** Where the bundle goes, in words. */
  protected readonly targetText = computed(() => {
    const v = this.target();
    const scope = this.scope();
    if (scope === 'global') return 'Global data (exercise library, equipment, templates)';
    if (scope === 'full') return 'The full system (every tenant and global data)';
    if (this.asNewTenant()) return `A new tenant${v.newTenantName.trim() ? `: ${v.newTenantName.trim()}` : ''}`;
    const tenant = this.directory.find(v.targetTenantId);
    return tenant ? `${tenant.name} (${tenant.slug})` : v.targetTenantId;
  });
  protected readonly strategyLabel = computed(() => STRATEGIES.find((s) => s.value === this.target().strategy)?.label ?? '');

  // Step 5: the result, its backup, and undo through it.
  protected readonly backup = signal<BackupView | null>(null);
  protected readonly restoreRun = new JobRun();

  constructor() {
    this.directory.reload();
    preselectTenant(this.targetForm.controls.targetTenantId, this.directory, () => this.auth.user()?.tenantId);
    inject(ActingTenant).follow(() => (this.scope() === 'tenant' && !this.asNewTenant() ? this.target().targetTenantId : null));
    effect(() => {
      const scope = this.scope();
      const asNew = this.asNewTenant();
      const c = this.targetForm.controls;
      setEnabled(c.targetTenantId, scope === 'tenant' && !asNew);
      setEnabled(c.newTenantName, asNew);
      setEnabled(c.newTenantSlug, asNew);
      setEnabled(c.asNewTenant, scope === 'tenant' && this.isSystemAdmin());
    });
    // Any change to the bundle or the target makes an earlier dry run stale.
    merge(this.fileForm.valueChanges, this.targetForm.valueChanges)
      .pipe(takeUntilDestroyed())
      .subscribe(() => this.resetValidation());
  }

  protected async onFile(file: File): Promise<void> {
    const control = this.fileForm.controls.file;
    control.setValue(file);
    control.markAsTouched();
    this.manifest.set(null);
    this.reading.set(true);
    const info = await readManifest(file, file.name);
    if (control.value !== file) return; // another file was chosen meanwhile
    this.reading.set(false);
    this.manifest.set(info);
    if (info.error) {
      control.setErrors({ bundle: info.error });
    } else if (info.manifest && info.manifest.scope !== 'tenant' && !this.isSystemAdmin()) {
      // Org admins import into their own tenant only: a global or full bundle is not for them.
      this.manifest.set({ ...info, error: `This is a ${info.manifest.scope} bundle: only system admins can import it.` });
      control.setErrors({ bundle: 'scope' });
    } else if (info.manifest && this.isSystemAdmin()) {
      // The bundle says what it holds: default the import scope to it.
      this.targetForm.controls.scope.setValue(info.manifest.scope);
    }
  }

  protected removeFile(): void {
    this.fileForm.reset();
    this.manifest.set(null);
    this.reading.set(false);
  }

  /** Suggests a slug from the new tenant's name while the slug field is untouched. */
  protected onNewName(): void {
    const slugControl = this.targetForm.controls.newTenantSlug;
    if (slugControl.dirty) return;
    const slug = this.targetForm.controls.newTenantName.value
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64)
      .replace(/-+$/, '');
    slugControl.setValue(slug);
  }

  protected validate(): void {
    const file = this.fileForm.controls.file.value;
    if (!file || this.targetForm.invalid) return;
    this.resetValidation();
    const request = buildImportRequest(this.targetForm.getRawValue(), this.isSystemAdmin());
    this.dryRun.run(this.api.startImport(file, request), (job) =>
      this.loadReport(job, this.dryRunReport, (report, problem) => {
        if (report) this.validationForm.controls.valid.setValue(report.valid && job.status === 'succeeded');
        else if (problem) this.reportError.set(problem);
      }),
    );
  }

  protected async downloadErrors(): Promise<void> {
    const job = this.dryRun.job();
    if (!job) return;
    this.downloadingCsv.set(true);
    this.csvError.set(null);
    try {
      const saved = await this.downloads.download(this.api.importErrorsCsvUrl(job.id), `rythm-import-errors-${job.id}.csv`);
      this.notifier.info(`Saved ${saved}`);
    } catch (error: unknown) {
      this.csvError.set(await describeErrorAsync(error));
    } finally {
      this.downloadingCsv.set(false);
    }
  }

  protected runImport(force = false): void {
    const dryRunJob = this.dryRun.job();
    if (!dryRunJob || !this.validationForm.valid || this.importRun.busy()) return;
    // The plan the admin read, or (after a conflict, asked for in so many words) the plan as it is now.
    if (!force && !this.canRun()) return;
    this.finalReport.set(null);
    this.importRun.run(this.api.applyImport(dryRunJob.id, force), (job) =>
      this.loadReport(job, this.finalReport, (report) => {
        if (report?.backupId) this.loadBackup(report.backupId);
        if (job.status === 'succeeded') this.finish();
      }),
    );
  }

  protected restoreBackup(): void {
    const backupId = this.finalReport()?.backupId;
    if (!backupId) return;
    confirmAction(this.dialog, {
      title: 'Restore the pre-import backup?',
      message:
        'The data will be put back as it was just before this import: the imported rows are removed and ' +
        'anything changed since is lost. A pre-restore backup is taken first.',
      confirmLabel: 'Restore',
      destructive: true,
    }).subscribe((confirmed) => {
      if (!confirmed) return;
      this.restoreRun.run(this.api.restoreBackup(backupId, { dryRun: false }), (job) => {
        if (job.status === 'succeeded') this.notifier.info('The pre-import backup has been restored.');
      });
    });
  }

  /** The undo job that took the import back, when the report names one (`undoneByJobId`). */
  protected undoneBy(report: UndoableImportReport): string | null {
    return report.undoneByJobId ?? null;
  }

  /** An undo (or its redo) changed the data: the tenants' counts are stale. The flow says what it did. */
  protected onUndone(): void {
    this.directory.reload();
  }

  protected startOver(): void {
    this.importRun.reset();
    this.restoreRun.reset();
    this.finalReport.set(null);
    this.backup.set(null);
    this.runForm.reset();
    this.manifest.set(null);
    // Resets every step's form too; the tenant preselect then runs again (preselectTenant).
    this.stepper().reset();
    this.resetValidation();
    this.directory.reload();
  }

  private finish(): void {
    this.runForm.controls.done.setValue(true);
    this.directory.reload();
    // Let the stepper see the now-valid step before moving on.
    queueMicrotask(() => this.stepper().next());
  }

  /** The one report fetch of both runs: a failed job may still have one (invalid bundle), a cancelled one has none. */
  private loadReport(job: JobView, into: WritableSignal<ImportReport | null>, then: (report: ImportReport | null, problem: string | null) => void): void {
    if (job.status === 'cancelled') {
      then(null, null);
      return;
    }
    this.loadingReport.set(true);
    this.api.importReport(job.id, { silent: job.status === 'failed' }).subscribe({
      next: (report) => {
        this.loadingReport.set(false);
        into.set(report);
        then(report, null);
      },
      error: (error: unknown) => {
        this.loadingReport.set(false);
        // A failed job may have no report: its own error says why.
        then(null, job.error?.message ?? describeError(error));
      },
    });
  }

  private loadBackup(backupId: string): void {
    this.api.getBackup(backupId, { silent: true }).subscribe({
      next: (backup) => this.backup.set(backup),
      error: () => this.backup.set(null), // the link still works without its time and size
    });
  }

  private resetValidation(): void {
    if (this.committed()) return;
    this.dryRun.reset();
    this.dryRunReport.set(null);
    this.reportError.set(null);
    this.csvError.set(null);
    this.confirmDeletes.reset(false);
    this.validationForm.reset({ valid: false });
  }
}
