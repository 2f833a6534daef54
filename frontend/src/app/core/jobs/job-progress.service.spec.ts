import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import type { JobView } from '@rythm/api-types';
import { job } from '../../../testing/fixtures';
import { TOKEN_STORAGE_KEY } from '../auth/auth.service';
import { authInterceptor } from '../http/auth.interceptor';
import { JOB_EVENT_SOURCE_FACTORY, JOB_POLL_INTERVAL_MS, type JobEventSource, JobProgressService, jobPercent } from './job-progress.service';

class FakeEventSource implements JobEventSource {
  onmessage: ((event: MessageEvent<string>) => void) | null = null;
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor(readonly url: string) {}
  close(): void {
    this.closed = true;
  }
  emit(data: string): void {
    this.onmessage?.({ data } as MessageEvent<string>);
  }
  fail(): void {
    this.onerror?.(new Event('error'));
  }
}

describe('JobProgressService', () => {
  let sources: FakeEventSource[];
  let http: HttpTestingController;

  function setup(withEventSource = true): JobProgressService {
    sources = [];
    TestBed.configureTestingModule({
      providers: [
        provideRouter([]),
        provideHttpClient(withInterceptors([authInterceptor])),
        provideHttpClientTesting(),
        {
          provide: JOB_EVENT_SOURCE_FACTORY,
          useValue: withEventSource
            ? (url: string) => {
                const source = new FakeEventSource(url);
                sources.push(source);
                return source;
              }
            : null,
        },
        { provide: JOB_POLL_INTERVAL_MS, useValue: 1000 },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    return TestBed.inject(JobProgressService);
  }

  beforeEach(() => {
    localStorage.clear();
    localStorage.setItem(TOKEN_STORAGE_KEY, 'jwt token/1');
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  it('opens the SSE stream with the token in the query and emits each JobView until the job ends', () => {
    const service = setup();
    const seen: JobView[] = [];
    let completed = false;

    service.follow('job-7').subscribe({ next: (j) => seen.push(j), complete: () => (completed = true) });

    expect(sources).toHaveLength(1);
    expect(sources[0].url).toBe('/api/jobs/job-7/events?access_token=jwt%20token%2F1');
    sources[0].emit(JSON.stringify(job({ id: 'job-7', status: 'running', progress: { phase: 'export', table: 'users', rowsDone: 5, rowsTotal: 10 } })));
    sources[0].emit('not json');
    sources[0].emit(JSON.stringify({ hello: 'world' }));
    sources[0].emit(JSON.stringify(job({ id: 'job-7', status: 'succeeded' })));

    expect(seen.map((j) => j.status)).toEqual(['running', 'succeeded']);
    expect(seen[0].progress?.rowsDone).toBe(5);
    expect(completed).toBe(true);
    expect(sources[0].closed).toBe(true);
  });

  it('ignores the error event that follows the server closing a finished stream', () => {
    const service = setup();
    const seen: string[] = [];
    service.follow('job-7').subscribe((j) => seen.push(j.status));

    sources[0].emit(JSON.stringify(job({ id: 'job-7', status: 'failed', error: { code: 'X', message: 'boom' } })));
    sources[0].fail();

    expect(seen).toEqual(['failed']);
    http.expectNone('/api/jobs/job-7');
  });

  it('falls back to polling GET /api/jobs/:id every second when the stream fails', () => {
    jest.useFakeTimers();
    const service = setup();
    const seen: string[] = [];
    let completed = false;
    service.follow('job-9').subscribe({ next: (j) => seen.push(j.status), complete: () => (completed = true) });

    sources[0].emit(JSON.stringify(job({ id: 'job-9', status: 'running' })));
    sources[0].fail();
    expect(sources[0].closed).toBe(true);

    jest.advanceTimersByTime(0);
    const first = http.expectOne('/api/jobs/job-9');
    expect(first.request.headers.get('Authorization')).toBe('Bearer jwt token/1');
    first.flush(job({ id: 'job-9', status: 'running' }));

    jest.advanceTimersByTime(1000);
    http.expectOne('/api/jobs/job-9').flush(job({ id: 'job-9', status: 'succeeded' }));

    expect(seen).toEqual(['running', 'running', 'succeeded']);
    expect(completed).toBe(true);
    jest.advanceTimersByTime(5000);
    http.expectNone('/api/jobs/job-9');
  });

  it('polls from the start when the browser has no EventSource', () => {
    jest.useFakeTimers();
    const service = setup(false);
    const seen: string[] = [];
    service.follow('job-3').subscribe((j) => seen.push(j.status));

    jest.advanceTimersByTime(0);
    http.expectOne('/api/jobs/job-3').flush(job({ id: 'job-3', status: 'cancelled' }));

    expect(seen).toEqual(['cancelled']);
  });

  it('retries a failed poll before giving up with the error', () => {
    jest.useFakeTimers();
    const service = setup(false);
    let error: unknown = null;
    service.follow('job-4').subscribe({ error: (e: unknown) => (error = e) });

    for (let attempt = 0; attempt < 4; attempt++) {
      // Retry delay, plus the 1 ms that fake timers add to a 0 ms timer set during a tick.
      jest.advanceTimersByTime(1001);
      http.expectOne('/api/jobs/job-4').flush({ message: 'down' }, { status: 503, statusText: 'Unavailable' });
    }

    expect(error).toMatchObject({ status: 503 });
  });

  it('closes the stream when the subscriber leaves', () => {
    const service = setup();
    const subscription = service.follow('job-5').subscribe();

    subscription.unsubscribe();

    expect(sources[0].closed).toBe(true);
  });

  it('computes a percentage only when the total is known', () => {
    expect(jobPercent(job({ status: 'running', progress: { phase: 'copy', rowsDone: 25, rowsTotal: 200 } }))).toBe(13);
    expect(jobPercent(job({ status: 'running', progress: { phase: 'copy', rowsDone: 25 } }))).toBeNull();
    expect(jobPercent(job({ status: 'succeeded' }))).toBe(100);
  });
});
