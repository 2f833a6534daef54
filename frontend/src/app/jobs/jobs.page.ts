import { BreakpointObserver } from '@angular/cdk/layout';
import { DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DOCUMENT, InjectionToken, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import { Router, RouterLink } from '@angular/router';
import type { JobStatus, JobType, JobView, Page } from '@rythm/api-types';
import { EMPTY, catchError, exhaustMap, fromEvent, map, of, startWith, switchMap, timer } from 'rxjs';
import { ApiClient } from '../core/api/api-client';
import { TenantDirectory } from '../core/api/tenant-directory';
import { describeError } from '../core/errors/error-message';
import { ErrorNotifier } from '../core/errors/error-notifier';
import { AuthService } from '../core/auth/auth.service';
import { isTerminal, jobPercent } from '../core/jobs/job-progress.service';
import { ActingTenant } from '../core/layout/acting-tenant';
import { formatDuration, jobDurationMs } from '../shared/dates';
import { ErrorPanelComponent } from '../shared/error-panel.component';
import { JOB_KINDS, type JobKind, describeJobOutcome, describeJobProgress, jobKind, jobKindLabel } from '../shared/job-text';
import { JobStatusComponent } from '../shared/job-status.component';
import { TimeComponent } from '../shared/time.component';
import { openUndoDialog } from '../shared/undo/undo-import.dialog';
import { undoTarget } from '../shared/undo/undo-report';

export const JOBS_POLL_INTERVAL_MS = new InjectionToken<number>('JOBS_POLL_INTERVAL_MS', {
  providedIn: 'root',
  factory: () => 2000,
});

type Result = { page: Page<JobView> } | { error: unknown };

/** The API filters by type; a kind narrows a type further (a dry run is an import with dryRun). */
const KIND_TYPE: Record<JobKind, JobType> = {
  export: 'export',
  import: 'import',
  'dry-run': 'import',
  backup: 'backup',
  restore: 'restore',
  'restore-preview': 'restore',
  undo: 'undo',
  'undo-preview': 'undo',
};

/** Jobs filtered in the browser (kind within a type, tenant) are picked from this many of the latest. */
export const CLIENT_FILTER_WINDOW = 100;

@Component({
  selector: 'app-jobs-page',
  imports: [
    FormsModule,
    RouterLink,
    DecimalPipe,
    TimeComponent,
    MatButtonModule,
    MatFormFieldModule,
    MatIconModule,
    MatProgressBarModule,
    MatSelectModule,
    MatTableModule,
    ErrorPanelComponent,
    JobStatusComponent,
  ],
  templateUrl: './jobs.page.html',
  styleUrl: './jobs.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class JobsPage {
  private readonly api = inject(ApiClient);
  private readonly notifier = inject(ErrorNotifier);
  private readonly document = inject(DOCUMENT);
  private readonly dialog = inject(MatDialog);
  protected readonly directory = inject(TenantDirectory);
  protected readonly intervalMs = inject(JOBS_POLL_INTERVAL_MS);

  private readonly router = inject(Router);
  protected readonly isSystemAdmin = inject(AuthService).isSystemAdmin;
  protected readonly kinds = JOB_KINDS;
  protected readonly statuses: readonly { value: JobStatus; label: string }[] = [
    { value: 'queued', label: 'Queued' },
    { value: 'running', label: 'Running' },
    { value: 'succeeded', label: 'Succeeded' },
    { value: 'failed', label: 'Failed' },
    { value: 'cancelled', label: 'Cancelled' },
  ];
  protected readonly kind = signal<JobKind | ''>('');
  protected readonly status = signal<JobStatus | ''>('');
  protected readonly tenantId = signal('');
  /** Whether the list is narrowed in the browser (the API filters by type and status only). */
  protected readonly clientFiltered = computed(() => {
    const kind = this.kind();
    return (kind !== '' && KIND_TYPE[kind] !== kind) || this.tenantId() !== '';
  });

  /** Polling pauses while the tab is hidden: no traffic nobody looks at. */
  protected readonly visible = toSignal(
    fromEvent(this.document, 'visibilitychange').pipe(
      map(() => this.document.visibilityState !== 'hidden'),
      startWith(this.document.visibilityState !== 'hidden'),
    ),
    { initialValue: true },
  );

  private readonly fetched = signal<JobView[]>([]);
  protected readonly jobs = computed(() => {
    const kind = this.kind();
    const tenantId = this.tenantId();
    return this.fetched()
      .filter((j) => (kind === '' || jobKind(j) === kind) && (tenantId === '' || j.tenantId === tenantId))
      .slice(0, 25);
  });
  protected readonly fetchedCount = computed(() => this.fetched().length);
  /** Durations of the latest finished jobs, longest bar = longest job. */
  protected readonly durations = computed(() => {
    const finished = this.jobs()
      .map((j) => ({ job: j, ms: jobDurationMs(j) }))
      .filter((d): d is { job: JobView; ms: number } => d.ms !== null)
      .slice(0, 12);
    const max = Math.max(1, ...finished.map((d) => d.ms));
    return finished.map((d) => ({
      ...d,
      text: formatDuration(d.ms),
      percent: Math.max(1, Math.round((d.ms / max) * 100)),
      label: jobKindLabel(jobKind(d.job)),
    }));
  });
  protected readonly total = signal(0);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly cancelling = signal<ReadonlySet<string>>(new Set());
  /** On a narrow window the time and tenant move under the type, so that progress and Cancel stay in view. */
  protected readonly narrow = toSignal(
    inject(BreakpointObserver)
      .observe('(max-width: 719.98px)')
      .pipe(map((state) => state.matches)),
    { initialValue: false },
  );
  protected readonly columns = computed(() =>
    this.narrow() ? ['type', 'status', 'progress', 'actions'] : ['createdAt', 'type', 'status', 'tenant', 'duration', 'progress', 'actions'],
  );
  protected readonly percent = jobPercent;
  protected readonly kindOf = (job: JobView): string => jobKindLabel(jobKind(job));
  protected readonly duration = (job: JobView): string => formatDuration(jobDurationMs(job));
  protected readonly progressText = describeJobProgress;
  protected readonly outcomeText = describeJobOutcome;
  protected readonly terminal = (job: JobView): boolean => isTerminal(job.status);
  protected readonly trackById = (_: number, job: JobView): string => job.id;
  protected readonly undoTarget = undoTarget;
  /** The job an undo job takes back (its params say; its result too, once it ran). */
  protected readonly undoesJobId = (job: JobView): string | null => {
    if (job.type !== 'undo') return null;
    const id = job.params['undoesJobId'] ?? job.result?.['undoesJobId'];
    return typeof id === 'string' ? id : null;
  };

  private readonly pollParams = computed(() => {
    const kind = this.kind();
    return {
      visible: this.visible(),
      type: kind ? KIND_TYPE[kind] : undefined,
      status: this.status(),
      pageSize: this.clientFiltered() ? CLIENT_FILTER_WINDOW : 25,
    };
  });

  constructor() {
    this.directory.reload();
    inject(ActingTenant).follow(() => this.tenantId());
    toObservable(this.pollParams)
      .pipe(
        switchMap(({ visible, type, status, pageSize }) =>
          visible
            ? timer(0, this.intervalMs).pipe(
                exhaustMap(() =>
                  this.api.listJobs({ pageSize, type, status: status || undefined }, { silent: true }).pipe(
                    map((page): Result => ({ page })),
                    catchError((error: unknown) => of<Result>({ error })),
                  ),
                ),
              )
            : EMPTY,
        ),
        takeUntilDestroyed(),
      )
      .subscribe((result) => this.apply(result));
  }

  protected canCancel(job: JobView): boolean {
    return !isTerminal(job.status);
  }

  protected cancel(job: JobView): void {
    this.cancelling.update((ids) => new Set([...ids, job.id]));
    this.api.cancelJob(job.id).subscribe({
      next: (updated) => {
        this.done(job.id);
        this.fetched.update((jobs) => jobs.map((j) => (j.id === updated.id ? updated : j)));
        this.notifier.info(`Cancellation requested for the ${job.type} job.`);
      },
      error: () => this.done(job.id), // the interceptor has shown the API's message
    });
  }

  /** Undo an import (or redo it through its undo): the shared flow, in a dialog. */
  protected undo(job: JobView): void {
    const target = undoTarget(job);
    if (!target) return;
    // The list polls: the new undo job appears on its own.
    openUndoDialog(this.dialog, target).subscribe();
  }

  /** A click anywhere on a row opens the job (the kind is also a link, for keyboards and screen readers). */
  protected open(job: JobView, event: MouseEvent): void {
    const target = event.target as HTMLElement | null;
    if (target?.closest('a, button')) return;
    void this.router.navigate(['/jobs', job.id]);
  }

  private done(id: string): void {
    this.cancelling.update((ids) => new Set([...ids].filter((x) => x !== id)));
  }

  private apply(result: Result): void {
    if ('page' in result) {
      this.fetched.set(result.page.items);
      this.total.set(result.page.total);
      this.loaded.set(true);
      this.error.set(null);
      return;
    }
    // One snackbar per failure streak, not one every poll.
    if (this.error() === null) this.notifier.notify(result.error);
    this.error.set(describeError(result.error));
    this.loaded.set(true);
  }
}
