import { ChangeDetectionStrategy, Component, computed, inject, input, signal } from '@angular/core';
import { rxResource } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { MatDialog } from '@angular/material/dialog';
import type { ExportResult, ImportReport, JobView, UndoReport } from '@rythm/api-types';
import { EMPTY, catchError, concat, of, switchMap } from 'rxjs';
import { ApiClient } from '../core/api/api-client';
import { TenantDirectory } from '../core/api/tenant-directory';
import { AuthService } from '../core/auth/auth.service';
import { DownloadService } from '../core/download/download.service';
import { describeErrorAsync } from '../core/errors/error-message';
import { ErrorNotifier } from '../core/errors/error-notifier';
import { JobProgressService, isTerminal } from '../core/jobs/job-progress.service';
import { ActingTenant } from '../core/layout/acting-tenant';
import { BytesPipe } from '../shared/bytes.pipe';
import { DateTimePipe } from '../shared/date-time.pipe';
import { formatDuration, jobDurationMs } from '../shared/dates';
import { ErrorPanelComponent } from '../shared/error-panel.component';
import { ErrorTextPipe } from '../shared/error-text.pipe';
import { BundleErrorsTableComponent } from '../shared/import-report/bundle-errors-table.component';
import { DiffsTableComponent } from '../shared/import-report/diffs-table.component';
import { PlanTableComponent } from '../shared/import-report/plan-table.component';
import { JobProgressComponent } from '../shared/job-progress.component';
import { jobKind, jobKindLabel } from '../shared/job-text';
import { plural } from '../shared/text';
import { UndoConflictsTableComponent } from '../shared/undo/undo-conflicts-table.component';
import { openUndoDialog } from '../shared/undo/undo-import.dialog';
import { UndoPlanTableComponent } from '../shared/undo/undo-plan-table.component';
import { type UndoableImportReport, asUndoReport, undoTarget } from '../shared/undo/undo-report';
import { paramLines } from './job-params';

/** One job, opened from the Jobs page: its parameters, its report (imports, restores) and its file. */
@Component({
  selector: 'app-job-detail-page',
  imports: [
    RouterLink,
    BytesPipe,
    DateTimePipe,
    ErrorTextPipe,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    ErrorPanelComponent,
    JobProgressComponent,
    PlanTableComponent,
    BundleErrorsTableComponent,
    DiffsTableComponent,
    UndoPlanTableComponent,
    UndoConflictsTableComponent,
  ],
  templateUrl: './job-detail.page.html',
  styleUrl: './job-detail.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobDetailPage {
  private readonly api = inject(ApiClient);
  private readonly progress = inject(JobProgressService);
  private readonly downloads = inject(DownloadService);
  private readonly notifier = inject(ErrorNotifier);
  protected readonly directory = inject(TenantDirectory);
  private readonly auth = inject(AuthService);
  private readonly dialog = inject(MatDialog);

  /** From the route (`/jobs/:id`). */
  readonly id = input.required<string>();

  /** The job, followed live until it ends. */
  protected readonly job = rxResource({
    params: () => this.id(),
    stream: ({ params }) =>
      this.api
        .getJob(params)
        .pipe(switchMap((job) => (isTerminal(job.status) ? of(job) : concat(of(job), this.progress.follow(job.id).pipe(catchError(() => EMPTY)))))),
  });
  protected readonly view = computed(() => (this.job.hasValue() ? this.job.value() : null));
  private readonly finished = computed(() => {
    const job = this.view();
    return job && isTerminal(job.status) ? job : null;
  });
  protected readonly finishedView = this.finished;
  protected readonly kind = computed(() => {
    const job = this.view();
    return job ? jobKindLabel(jobKind(job)) : 'Job';
  });
  protected readonly duration = computed(() => {
    const job = this.view();
    return job ? formatDuration(jobDurationMs(job)) : '—';
  });
  protected readonly params = computed(() => {
    const job = this.view();
    return job ? paramLines(job, (id) => this.tenantName(id)) : [];
  });
  protected readonly hasReport = computed(() => {
    const job = this.finished();
    return job !== null && (job.type === 'import' || job.type === 'restore') && job.status !== 'cancelled';
  });
  protected readonly report = rxResource({
    params: () => (this.hasReport() ? this.finished()?.id : undefined),
    stream: ({ params }) => this.api.importReport(params, { silent: true }).pipe(catchError(() => of<ImportReport | null>(null))),
  });
  /** An undo job's report: its result, or read back from GET …/undo-report when the view has none. */
  protected readonly undoReport = rxResource({
    params: () => {
      const job = this.finished();
      return job?.type === 'undo' && job.status !== 'cancelled' ? job : undefined;
    },
    stream: ({ params }) => {
      const fromResult = asUndoReport(params.result);
      return fromResult ? of(fromResult) : this.api.undoReport(params.id, { silent: true }).pipe(catchError(() => of<UndoReport | null>(null)));
    },
  });
  protected readonly undoView = computed(() => (this.undoReport.hasValue() ? this.undoReport.value() : null));
  /** The Undo (or Redo) action: an applied import with a change set, or an applied undo; not once the report says it was undone. */
  protected readonly undoAction = computed(() => {
    const job = this.finished();
    if (!job || this.reportView()?.undoneByJobId) return null;
    return undoTarget(job);
  });
  protected readonly undoneBy = computed(() => this.reportView()?.undoneByJobId ?? null);
  protected readonly reportView = computed((): UndoableImportReport | null => (this.report.hasValue() ? this.report.value() : null));
  protected readonly problemText = computed(() => {
    const r = this.reportView();
    return r ? plural(r.errors.length + r.moreErrors, 'problem') : '';
  });
  protected readonly exportResult = computed(() => {
    const job = this.finished();
    return job?.type === 'export' && job.status === 'succeeded' ? (job.result as ExportResult | null) : null;
  });
  /** An export's file downloads for the user who started it and for system admins only (docs/security.md). */
  protected readonly mayDownload = computed(() => {
    const job = this.finished();
    return this.auth.isSystemAdmin() || (job !== null && job.createdBy !== null && job.createdBy === this.auth.user()?.id);
  });
  protected readonly backupId = computed(() => {
    const job = this.finished();
    const fromResult = job?.result?.['backupId'];
    const fromReport = this.reportView()?.backupId;
    return typeof fromResult === 'string' ? fromResult : (fromReport ?? null);
  });
  protected readonly downloading = signal(false);
  protected readonly downloadError = signal<string | null>(null);

  constructor() {
    this.directory.ensureLoaded();
    inject(ActingTenant).follow(() => this.view()?.tenantId);
  }

  protected tenantName(id: string | null): string {
    if (!id) return '—';
    const t = this.directory.find(id);
    return t ? `${t.name} (${t.slug})` : id;
  }

  /** Undo jobs keep a change set of their own, and an import's restore point is a change set or a full backup. */
  protected backupLinkText(job: JobView): string {
    if (job.type === 'backup') return 'The backup this job wrote';
    if (job.type === 'undo') return 'The change set this undo kept (undoing the undo redoes the import)';
    return this.reportView()?.restorePoint === 'change-set' ? 'The change set this import kept' : 'The backup taken before this job';
  }

  protected undo(): void {
    const target = this.undoAction();
    if (!target) return;
    openUndoDialog(this.dialog, target).subscribe((changed) => {
      if (changed) this.report.reload();
    });
  }

  protected async download(job: JobView): Promise<void> {
    this.downloading.set(true);
    this.downloadError.set(null);
    try {
      const saved = await this.downloads.download(this.api.exportDownloadUrl(job.id), this.exportResult()?.fileName ?? `rythm-export-${job.id}`);
      this.notifier.info(`Saved ${saved}`);
    } catch (error: unknown) {
      this.downloadError.set(await describeErrorAsync(error));
    } finally {
      this.downloading.set(false);
    }
  }

  protected async downloadErrors(job: JobView): Promise<void> {
    this.downloadError.set(null);
    try {
      await this.downloads.download(this.api.importErrorsCsvUrl(job.id), `rythm-import-errors-${job.id}.csv`);
    } catch (error: unknown) {
      this.downloadError.set(await describeErrorAsync(error));
    }
  }
}
