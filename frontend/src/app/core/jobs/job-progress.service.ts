import { Injectable, InjectionToken, inject } from '@angular/core';
import { isTerminal, type JobView } from '@rythm/api-types';
import { Observable, type Subscription, exhaustMap, retry, takeWhile, timer } from 'rxjs';
import { ApiClient } from '../api/api-client';
import { AuthService } from '../auth/auth.service';

/** The subset of EventSource that the service uses (so that tests can hand in a fake). */
export interface JobEventSource {
  onmessage: ((event: MessageEvent<string>) => void) | null;
  onerror: ((event: Event) => void) | null;
  close(): void;
}

export type JobEventSourceFactory = (url: string) => JobEventSource;

/** null when the browser has no EventSource: the service then polls. */
export const JOB_EVENT_SOURCE_FACTORY = new InjectionToken<JobEventSourceFactory | null>('JOB_EVENT_SOURCE_FACTORY', {
  providedIn: 'root',
  factory: () => (typeof EventSource === 'undefined' ? null : (url: string) => new EventSource(url)),
});

export const JOB_POLL_INTERVAL_MS = new InjectionToken<number>('JOB_POLL_INTERVAL_MS', {
  providedIn: 'root',
  factory: () => 1000,
});

// The terminal statuses are defined once, beside the API's (shared/patterns.ts).
export { isTerminal };

export function isJobView(value: unknown): value is JobView {
  return typeof value === 'object' && value !== null && typeof (value as JobView).id === 'string' && typeof (value as JobView).status === 'string';
}

/** Percentage of rows done, or null when the total is unknown (indeterminate bar). */
export function jobPercent(job: JobView): number | null {
  if (job.status === 'succeeded') return 100;
  const progress = job.progress;
  if (!progress || !progress.rowsTotal) return null;
  return Math.min(100, Math.round((progress.rowsDone / progress.rowsTotal) * 100));
}

/**
 * Follows a background job until it ends: server-sent events from GET /api/jobs/:id/events
 * (token in the query, as EventSource cannot send headers), falling back to polling
 * GET /api/jobs/:id every second when the stream fails or is unavailable.
 */
@Injectable({ providedIn: 'root' })
export class JobProgressService {
  private readonly api = inject(ApiClient);
  private readonly auth = inject(AuthService);
  private readonly eventSourceFactory = inject(JOB_EVENT_SOURCE_FACTORY);
  private readonly pollIntervalMs = inject(JOB_POLL_INTERVAL_MS);

  /** Emits every state of the job; completes after the first terminal state (succeeded, failed, cancelled). */
  follow(jobId: string): Observable<JobView> {
    return new Observable<JobView>((subscriber) => {
      let source: JobEventSource | null = null;
      let polling: Subscription | null = null;
      let finished = false;

      const closeSource = (): void => {
        if (source) {
          source.onmessage = null;
          source.onerror = null;
          source.close();
          source = null;
        }
      };

      const emit = (job: JobView): void => {
        if (finished) return;
        subscriber.next(job);
        if (isTerminal(job.status)) {
          finished = true;
          closeSource();
          subscriber.complete();
        }
      };

      const startPolling = (): void => {
        closeSource();
        if (finished || polling) return;
        polling = this.poll(jobId).subscribe({
          next: emit,
          error: (error: unknown) => subscriber.error(error),
        });
      };

      const token = this.auth.token();
      if (!this.eventSourceFactory || !token) {
        startPolling();
      } else {
        try {
          source = this.eventSourceFactory(this.api.jobEventsUrl(jobId, token));
          source.onmessage = (event) => {
            const job = parseJob(event.data);
            if (job) emit(job);
          };
          // Also fires when the server closes the stream; if the job had ended we are already done.
          source.onerror = () => startPolling();
        } catch {
          startPolling();
        }
      }

      return () => {
        finished = true;
        closeSource();
        polling?.unsubscribe();
      };
    });
  }

  /** GET /api/jobs/:id every interval until a terminal state (inclusive); tolerates a few failures. */
  poll(jobId: string): Observable<JobView> {
    return timer(0, this.pollIntervalMs).pipe(
      exhaustMap(() => this.api.getJob(jobId, { silent: true })),
      retry({ count: 3, delay: this.pollIntervalMs }),
      takeWhile((job) => !isTerminal(job.status), true),
    );
  }
}

function parseJob(data: unknown): JobView | null {
  if (typeof data !== 'string') return null;
  try {
    const value: unknown = JSON.parse(data);
    return isJobView(value) ? value : null;
  } catch {
    return null;
  }
}
