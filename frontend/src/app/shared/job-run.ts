import { DestroyRef, computed, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { JobView } from '@rythm/api-types';
import { type Observable, type Subscription, of, switchMap, tap } from 'rxjs';
import { describeError } from '../core/errors/error-message';
import { ErrorNotifier } from '../core/errors/error-notifier';
import { JobProgressService, isTerminal } from '../core/jobs/job-progress.service';

/**
 * One background job as component state: starts it (POST → 202 JobView), follows its progress
 * and calls back with the final state. Create it in a field initializer (injection context).
 */
export class JobRun {
  private readonly progress = inject(JobProgressService);
  private readonly notifier = inject(ErrorNotifier);
  private readonly destroyRef = inject(DestroyRef);
  private subscription: Subscription | null = null;

  readonly job = signal<JobView | null>(null);
  readonly starting = signal(false);
  readonly error = signal<string | null>(null);
  readonly busy = computed(() => {
    const job = this.job();
    return this.starting() || (job !== null && !isTerminal(job.status));
  });
  readonly succeeded = computed(() => this.job()?.status === 'succeeded');

  run(start: Observable<JobView>, onDone?: (job: JobView) => void): void {
    this.reset();
    this.starting.set(true);
    let started = false;
    this.subscription = start
      .pipe(
        tap((job) => {
          started = true;
          this.starting.set(false);
          this.job.set(job);
        }),
        switchMap((job) => (isTerminal(job.status) ? of(job) : this.progress.follow(job.id))),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (job) => this.job.set(job),
        error: (error: unknown) => {
          this.starting.set(false);
          this.error.set(started ? `Lost track of the job: ${describeError(error)}` : describeError(error));
          // The start request already showed a snackbar (error interceptor); progress polling is silent.
          if (started) this.notifier.notify(error);
        },
        complete: () => {
          const job = this.job();
          if (job && isTerminal(job.status)) onDone?.(job);
        },
      });
  }

  reset(): void {
    this.subscription?.unsubscribe();
    this.subscription = null;
    this.job.set(null);
    this.error.set(null);
    this.starting.set(false);
  }
}
