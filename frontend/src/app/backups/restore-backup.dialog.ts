import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { BackupView, ImportReport, JobView } from '@rythm/api-types';
import { ApiClient } from '../core/api/api-client';
import { describeError } from '../core/errors/error-message';
import { BytesPipe } from '../shared/bytes.pipe';
import { DateTimePipe } from '../shared/date-time.pipe';
import { ErrorPanelComponent } from '../shared/error-panel.component';
import { BundleErrorsTableComponent } from '../shared/import-report/bundle-errors-table.component';
import { PlanTableComponent } from '../shared/import-report/plan-table.component';
import { JobProgressComponent } from '../shared/job-progress.component';
import { JobRun } from '../shared/job-run';

export interface RestoreBackupDialogData {
  backup: BackupView;
}

function asImportReport(value: unknown): ImportReport | null {
  const report = value as Partial<ImportReport> | null;
  return report && typeof report.valid === 'boolean' && Array.isArray(report.plan) && Array.isArray(report.errors) ? (report as ImportReport) : null;
}

/** What the user must type to confirm: the tenant's slug, or the scope for full/global backups. */
export function confirmationWord(backup: BackupView): string {
  return backup.scope === 'tenant' ? (backup.tenantSlug ?? backup.tenantId ?? 'tenant') : backup.scope;
}

/**
 * Restoring replaces data, so: a dry-run preview first (what will be inserted, updated, deleted),
 * then the user types the tenant's slug (or "full") to enable the Restore button.
 * Closes with true when a restore has succeeded.
 */
@Component({
  selector: 'app-restore-backup-dialog',
  imports: [
    FormsModule,
    DateTimePipe,
    BytesPipe,
    MatDialogModule,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatProgressBarModule,
    ErrorPanelComponent,
    JobProgressComponent,
    PlanTableComponent,
    BundleErrorsTableComponent,
  ],
  templateUrl: './restore-backup.dialog.html',
  styles: `
    .facts {
      margin: 0 0 12px;
    }
    .wide {
      width: 100%;
    }
    .warn {
      color: var(--mat-sys-error);
      font-weight: 500;
    }
    .ok {
      color: #0b5320;
      font-weight: 500;
    }
    code {
      font-weight: 600;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class RestoreBackupDialog {
  private readonly api = inject(ApiClient);
  private readonly dialogRef = inject<MatDialogRef<RestoreBackupDialog, boolean>>(MatDialogRef);
  protected readonly backup = inject<RestoreBackupDialogData>(MAT_DIALOG_DATA).backup;

  protected readonly expected = confirmationWord(this.backup);
  protected readonly typed = signal('');
  protected readonly preview = new JobRun();
  protected readonly previewReport = signal<ImportReport | null>(null);
  protected readonly previewError = signal<string | null>(null);
  protected readonly restore = new JobRun();

  protected readonly previewOk = computed(() => this.previewReport()?.valid === true);
  protected readonly matches = computed(() => this.typed().trim() === this.expected);
  protected readonly canRestore = computed(
    () => this.matches() && this.previewOk() && !this.preview.busy() && !this.restore.busy() && this.restore.job() === null,
  );
  protected readonly restored = computed(() => this.restore.succeeded());

  constructor() {
    this.runPreview();
  }

  protected runPreview(): void {
    this.previewReport.set(null);
    this.previewError.set(null);
    this.preview.run(this.api.restoreBackup(this.backup.id, { dryRun: true }), (job) => this.loadReport(job));
  }

  protected confirm(): void {
    if (!this.canRestore()) return;
    this.dialogRef.disableClose = true;
    this.restore.run(this.api.restoreBackup(this.backup.id, { dryRun: false }), () => {
      this.dialogRef.disableClose = false;
    });
  }

  protected close(): void {
    this.dialogRef.close(this.restored());
  }

  private loadReport(job: JobView): void {
    if (job.status === 'cancelled') {
      this.previewError.set('The preview was cancelled.');
      return;
    }
    // The plan comes from GET /api/imports/:jobId/report; a restore job may also carry it in its result.
    const fromResult = asImportReport(job.result);
    if (job.status === 'failed' && !fromResult) {
      this.previewError.set(job.error?.message ?? 'The preview failed.');
      return;
    }
    this.api.importReport(job.id, { silent: true }).subscribe({
      next: (report) => this.previewReport.set(report),
      error: (error: unknown) => {
        if (fromResult) this.previewReport.set(fromResult);
        else this.previewError.set(job.error?.message ?? describeError(error));
      },
    });
  }
}
