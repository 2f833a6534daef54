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
    expect(el('job-row-j1')?.textContent).toContain('Copy · Sets · 10 / 40 rows');
    expect(el('job-row-j1')?.textContent).toContain('10');

    jest.advanceTimersByTime(1999);
    http.expectNone((r) => r.url === '/api/jobs');
    jest.advanceTimersByTime(1);
    expectPoll().flush(page([job({ id: 'j1', status: 'succeeded' })]));
    fixture.detectChanges();

    expect(el('job-status-j1')?.textContent).toContain('Succeeded');
    expect(el('job-cancel-j1')).toBeNull();
  });

  it('tells a dry run from an import, links each job to its detail, and filters by kind in the browser', () => {
    jest.advanceTimersByTime(0);
    const dry = job({
      id: 'd1',
      type: 'import',
      status: 'succeeded',
      params: { dryRun: true },
      startedAt: '2026-03-01T10:00:00.000Z',
      finishedAt: '2026-03-01T10:00:02.500Z',
    });
    const real = job({
      id: 'r1',
      type: 'import',
      status: 'succeeded',
      params: { dryRun: false },
      startedAt: '2026-03-01T10:01:00.000Z',
      finishedAt: '2026-03-01T10:01:04.000Z',
    });
    expectPoll().flush(page([real, dry, job({ id: 'e1', type: 'export', status: 'failed', error: { code: 'X', message: 'Disk full' } })]));
    fixture.detectChanges();

    expect(el('job-link-d1')?.textContent?.trim()).toBe('Dry run');
    expect(el('job-link-r1')?.textContent?.trim()).toBe('Import');
    expect(el('job-link-r1')?.getAttribute('href')).toBe('/jobs/r1');
    expect(el('job-row-d1')?.textContent).toContain('2.5 s');
    expect(el('job-outcome-e1')?.textContent).toContain('Disk full');
    expect(el('jobs-durations')?.textContent).toContain('4.0 s');

    fixture.componentInstance['kind'].set('dry-run');
    TestBed.tick();
    jest.advanceTimersByTime(0);
    const req = http.expectOne((r) => r.url === '/api/jobs');
    expect(req.request.params.get('type')).toBe('import');
    expect(req.request.params.get('pageSize')).toBe('100');
    req.flush(page([real, dry]));
    fixture.detectChanges();

    expect(el('job-row-d1')).not.toBeNull();
    expect(el('job-row-r1')).toBeNull();
    expect(el('jobs-window')?.textContent).toContain('latest 2');
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

  it('offers Undo on an applied import with a change set, Redo on an applied undo, and names what an undo undoes', () => {
    const applied = { applied: true, backupId: 'cs-1', restorePoint: 'change-set', plan: [], valid: true, errors: [] };
    jest.advanceTimersByTime(0);
    expectPoll().flush(
      page([
        job({ id: 'imp', type: 'import', status: 'succeeded', params: { dryRun: false }, result: applied }),
        job({ id: 'full', type: 'import', status: 'succeeded', params: { dryRun: false }, result: { ...applied, restorePoint: 'full' } }),
        job({ id: 'dry', type: 'import', status: 'succeeded', params: { dryRun: true }, result: applied }),
        job({
          id: 'und',
          type: 'undo',
          status: 'succeeded',
          params: { dryRun: false, undoesJobId: 'imp-00000-0000' },
          result: { undoesJobId: 'imp-00000-0000', plan: [], conflicts: [], moreConflicts: 0, applied: true, dryRun: false, backupId: 'cs-2' },
        }),
      ]),
    );
    fixture.detectChanges();

    expect(el('job-undo-imp')?.textContent?.trim()).toBe('Undo');
    expect(el('job-undo-full')).toBeNull();
    expect(el('job-undo-dry')).toBeNull();
    expect(el('job-undo-und')?.textContent?.trim()).toBe('Redo');
    expect(el('job-link-und')?.textContent).toBe('Undo');
    expect(el('job-undoes-und')?.textContent).toContain('of job imp-0000');
    expect(el('job-outcome-und')?.textContent).toContain('Undone');

    el('job-undo-imp')!.click();
    TestBed.tick();
    expect(document.querySelector('app-undo-import-dialog')?.textContent).toContain('Job imp');
    const check = http.expectOne('/api/imports/imp/undo');
    expect(check.request.body).toEqual({ dryRun: true });
  });
});
