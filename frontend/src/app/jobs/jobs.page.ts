import { BreakpointObserver } from '@angular/cdk/layout';
import { DatePipe, DecimalPipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DOCUMENT, InjectionToken, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed, toObservable, toSignal } from '@angular/core/rxjs-interop';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatTableModule } from '@angular/material/table';
import type { JobStatus, JobType, JobView, Page } from '@rythm/api-types';
import { EMPTY, catchError, exhaustMap, fromEvent, map, of, startWith, switchMap, timer } from 'rxjs';
import { ApiClient } from '../core/api/api-client';
import { TenantDirectory } from '../core/api/tenant-directory';
import { describeError } from '../core/errors/error-message';
import { ErrorNotifier } from '../core/errors/error-notifier';
import { isTerminal, jobPercent } from '../core/jobs/job-progress.service';
import { ErrorPanelComponent } from '../shared/error-panel.component';
import { JobStatusComponent } from '../shared/job-status.component';

export const JOBS_POLL_INTERVAL_MS = new InjectionToken<number>('JOBS_POLL_INTERVAL_MS', {
  providedIn: 'root',
  factory: () => 2000,
});

type Result = { page: Page<JobView> } | { error: unknown };

@Component({
  selector: 'app-jobs-page',
  imports: [
    FormsModule,
    DatePipe,
    DecimalPipe,
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
  protected readonly directory = inject(TenantDirectory);
  protected readonly intervalMs = inject(JOBS_POLL_INTERVAL_MS);

  protected readonly types: readonly JobType[] = ['export', 'import', 'backup', 'restore'];
  protected readonly statuses: readonly JobStatus[] = ['queued', 'running', 'succeeded', 'failed', 'cancelled'];
  protected readonly type = signal<JobType | ''>('');
  protected readonly status = signal<JobStatus | ''>('');

  /** Polling pauses while the tab is hidden: no traffic nobody looks at. */
  protected readonly visible = toSignal(
    fromEvent(this.document, 'visibilitychange').pipe(
      map(() => this.document.visibilityState !== 'hidden'),
      startWith(this.document.visibilityState !== 'hidden'),
    ),
    { initialValue: true },
  );

  protected readonly jobs = signal<JobView[]>([]);
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
    this.narrow() ? ['type', 'status', 'progress', 'actions'] : ['createdAt', 'type', 'status', 'tenant', 'progress', 'actions'],
  );
  protected readonly percent = jobPercent;
  protected readonly trackById = (_: number, job: JobView): string => job.id;

  private readonly pollParams = computed(() => ({ visible: this.visible(), type: this.type(), status: this.status() }));

  constructor() {
    this.directory.reload();
    toObservable(this.pollParams)
      .pipe(
        switchMap(({ visible, type, status }) =>
          visible
            ? timer(0, this.intervalMs).pipe(
                exhaustMap(() =>
                  this.api.listJobs({ pageSize: 25, type: type || undefined, status: status || undefined }, { silent: true }).pipe(
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
        this.jobs.update((jobs) => jobs.map((j) => (j.id === updated.id ? updated : j)));
        this.notifier.info(`Cancellation requested for the ${job.type} job.`);
      },
      error: () => this.done(job.id), // the interceptor has shown the API's message
    });
  }

  protected phase(job: JobView): string {
    const p = job.progress;
    if (!p) return '';
    return p.table ? `${p.phase} · ${p.table}` : p.phase;
  }

  private done(id: string): void {
    this.cancelling.update((ids) => new Set([...ids].filter((x) => x !== id)));
  }

  private apply(result: Result): void {
    if ('page' in result) {
      this.jobs.set(result.page.items);
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
