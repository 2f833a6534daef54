import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import type { JobView } from '@rythm/api-types';
import { signInAs } from '../../testing/auth';
import { ACME, job, user } from '../../testing/fixtures';
import { provideConsoleTesting } from '../../testing/providers';
import { JOBS_POLL_INTERVAL_MS, JobsPage } from './jobs.page';

describe('JobsPage', () => {
  let fixture: ComponentFixture<JobsPage>;
  let http: HttpTestingController;
  let visibility: DocumentVisibilityState;

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);
  const page = (items: JobView[]) => ({ items, total: items.length, page: 1, pageSize: 25 });
  const expectPoll = () => {
    const req = http.expectOne((r) => r.url === '/api/jobs');
    expect(req.request.params.get('pageSize')).toBe('25');
    return req;
  };

  beforeEach(() => {
    jest.useFakeTimers();
    visibility = 'visible';
    jest.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility);
    TestBed.configureTestingModule({
      imports: [JobsPage],
      providers: [...provideConsoleTesting(), { provide: JOBS_POLL_INTERVAL_MS, useValue: 2000 }],
    });
    http = TestBed.inject(HttpTestingController);
    signInAs(user('system_admin'));
    fixture = TestBed.createComponent(JobsPage);
    fixture.detectChanges();
    http.expectOne('/api/tenants').flush([ACME]);
  });

  afterEach(() => {
    http.verify();
    jest.useRealTimers();
  });

  it('polls GET /api/jobs every 2 s and shows each job with its progress', () => {
    jest.advanceTimersByTime(0);
    expectPoll().flush(page([job({ id: 'j1', status: 'running', progress: { phase: 'copy', table: 'sets', rowsDone: 10, rowsTotal: 40 } })]));
    fixture.detectChanges();
    expect(el('job-row-j1')?.textContent).toContain('copy · sets');
    expect(el('job-row-j1')?.textContent).toContain('10');

    jest.advanceTimersByTime(1999);
    http.expectNone((r) => r.url === '/api/jobs');
    jest.advanceTimersByTime(1);
    expectPoll().flush(page([job({ id: 'j1', status: 'succeeded' })]));
    fixture.detectChanges();

    expect(el('job-status-j1')?.textContent).toContain('Succeeded');
    expect(el('job-cancel-j1')).toBeNull();
  });

  it('stops polling while the page is hidden and resumes when it is visible again', () => {
    jest.advanceTimersByTime(0);
    expectPoll().flush(page([]));

    visibility = 'hidden';
    document.dispatchEvent(new Event('visibilitychange'));
    TestBed.tick();
    jest.advanceTimersByTime(10_000);
    http.expectNone((r) => r.url === '/api/jobs');

    visibility = 'visible';
    document.dispatchEvent(new Event('visibilitychange'));
    TestBed.tick();
    jest.advanceTimersByTime(0);
    expectPoll().flush(page([]));
  });

  it('cancels a running job with POST /api/jobs/:id/cancel', () => {
    jest.advanceTimersByTime(0);
    expectPoll().flush(page([job({ id: 'j2', status: 'running' }), job({ id: 'j3', status: 'failed' })]));
    fixture.detectChanges();
    expect(el('job-cancel-j3')).toBeNull();

    el('job-cancel-j2')!.click();
    const cancel = http.expectOne('/api/jobs/j2/cancel');
    expect(cancel.request.method).toBe('POST');
    cancel.flush(job({ id: 'j2', status: 'cancelled' }));
    fixture.detectChanges();

    expect(el('job-status-j2')?.textContent).toContain('Cancelled');
    expect(el('job-cancel-j2')).toBeNull();
  });

  it('shows an error panel when polling fails and keeps trying', () => {
    jest.advanceTimersByTime(0);
    expectPoll().flush({ statusCode: 500, code: 'INTERNAL', message: 'Database unavailable' }, { status: 500, statusText: 'Error' });
    fixture.detectChanges();
    expect(el('jobs-error')?.textContent).toContain('Database unavailable');

    jest.advanceTimersByTime(2000);
    expectPoll().flush(page([]));
    fixture.detectChanges();
    expect(el('jobs-error')).toBeNull();
  });
});
