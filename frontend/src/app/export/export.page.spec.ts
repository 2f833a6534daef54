import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { MatCheckboxHarness } from '@angular/material/checkbox/testing';
import { MatRadioButtonHarness } from '@angular/material/radio/testing';
import { MatSlideToggleHarness } from '@angular/material/slide-toggle/testing';
import type { ExportRequest, TenantSummary, UserView } from '@rythm/api-types';
import { ACME, GLOBEX, job, user } from '../../testing/fixtures';
import { signInAs } from '../../testing/auth';
import { FakeEventSource, provideConsoleTesting } from '../../testing/providers';
import { DownloadService } from '../core/download/download.service';
import { ExportPage } from './export.page';

describe('ExportPage', () => {
  let fixture: ComponentFixture<ExportPage>;
  let http: HttpTestingController;
  let loader: HarnessLoader;

  async function render(as: UserView, tenants: TenantSummary[]): Promise<void> {
    TestBed.configureTestingModule({ imports: [ExportPage], providers: provideConsoleTesting() });
    http = TestBed.inject(HttpTestingController);
    signInAs(as);
    fixture = TestBed.createComponent(ExportPage);
    loader = TestbedHarnessEnvironment.loader(fixture);
    fixture.detectChanges();
    http.expectOne('/api/tenants').flush(tenants);
    const recent = http.expectOne((r) => r.url === '/api/jobs');
    expect(recent.request.params.get('type')).toBe('export');
    expect(recent.request.params.get('pageSize')).toBe('10');
    recent.flush({ items: [job({ id: 'old-1', status: 'succeeded', params: { scope: 'tenant', format: 'json' } })], total: 1, page: 1, pageSize: 10 });
    await fixture.whenStable();
  }

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);

  /** Clicks Start; the POST goes out synchronously (answer it before awaiting stability). */
  function clickStart(): TestRequest {
    el('export-start')!.click();
    const req = http.expectOne('/api/exports');
    expect(req.request.method).toBe('POST');
    return req;
  }

  afterEach(() => http.verify());

  it("writes out an org admin's only tenant instead of a picker, and shows no global/full scope or credentials", async () => {
    await render(user('org_admin'), [ACME]);

    expect(el('export-scope')).toBeNull();
    expect(el('export-scope-global')).toBeNull();
    expect(el('export-scope-full')).toBeNull();
    expect(el('export-include-credentials')).toBeNull();
    expect(el('export-tenant')?.tagName).toBe('P');
    expect(el('export-tenant')?.textContent).toContain('Acme Gym (acme)');
    expect(fixture.nativeElement.querySelector('mat-select')).toBeNull();
    expect(fixture.nativeElement.querySelector('.lead')?.textContent).toContain("your organisation's data");
    expect(fixture.nativeElement.querySelector('.lead')?.textContent).not.toContain('global');
  });

  it('posts the org admin export request: tenant scope, chosen format, options, no credentials', async () => {
    await render(user('org_admin'), [ACME]);
    el('export-format-csv')!.click();
    await (await loader.getHarness(MatCheckboxHarness.with({ selector: '[data-testid="export-anonymize"]' }))).check();
    await (await loader.getHarness(MatCheckboxHarness.with({ selector: '[data-testid="export-include-users"]' }))).uncheck();

    const req = clickStart();
    const body = req.request.body as ExportRequest;

    expect(body).toEqual({
      scope: 'tenant',
      tenantId: ACME.id,
      format: 'csv',
      compress: false,
      include: { users: false, sessions: true },
      anonymize: true,
    });
    expect('includeCredentials' in body).toBe(false);
    req.flush(job({ id: 'exp-1' }));
  });

  it('lets a system admin export everything as compressed SQL with credentials', async () => {
    await render(user('system_admin'), [ACME, GLOBEX]);
    expect(el('export-scope-global')).not.toBeNull();

    await (await loader.getHarness(MatRadioButtonHarness.with({ selector: '[data-testid="export-scope-full"]' }))).check();
    el('export-format-sql')!.click();
    await (await loader.getHarness(MatSlideToggleHarness.with({ selector: '[data-testid="export-compress"]' }))).check();
    await (await loader.getHarness(MatCheckboxHarness.with({ selector: '[data-testid="export-include-credentials"]' }))).check();

    const req = clickStart();

    expect(req.request.body).toEqual({
      scope: 'full',
      format: 'sql',
      compress: true,
      include: { users: true, sessions: true },
      anonymize: false,
      includeCredentials: true,
    });
    req.flush(job({ id: 'exp-2', tenantId: null }));
  });

  it('requires a tenant when a system admin exports one tenant', async () => {
    await render(user('system_admin'), [ACME, GLOBEX]);

    el('export-start')!.click();
    await fixture.whenStable();

    http.expectNone('/api/exports');
    expect(fixture.nativeElement.textContent).toContain('Choose the tenant to export.');
  });

  it('follows the job over SSE and offers the download when it succeeds', async () => {
    await render(user('org_admin'), [ACME]);
    const download = jest.spyOn(TestBed.inject(DownloadService), 'download').mockResolvedValue('acme.json');
    clickStart().flush(job({ id: 'exp-3', status: 'queued' }));
    await fixture.whenStable();

    const source = FakeEventSource.latest();
    expect(source.url).toBe('/api/jobs/exp-3/events?access_token=test-token');
    source.send(job({ id: 'exp-3', status: 'running', progress: { phase: 'export', table: 'sessions', rowsDone: 50, rowsTotal: 200 } }));
    await fixture.whenStable();
    expect(el('export-progress')?.getAttribute('data-status')).toBe('running');
    expect(el('export-download')).toBeNull();

    source.send(
      job({
        id: 'exp-3',
        status: 'succeeded',
        result: { fileName: 'acme.json', sizeBytes: 2048, sha256: 'x', rowCounts: {}, durationMs: 1500 },
      }),
    );
    // The finished job refreshes the recent list (answer it: a pending request keeps the fixture unstable).
    TestBed.tick();
    http.expectOne((r) => r.url === '/api/jobs').flush({ items: [], total: 0, page: 1, pageSize: 10 });
    await fixture.whenStable();

    expect(el('export-progress')?.getAttribute('data-status')).toBe('succeeded');
    el('export-download')!.click();
    expect(download).toHaveBeenCalledWith('/api/exports/exp-3/download', 'acme.json');
  });

  it('shows the API message when the export is refused', async () => {
    await render(user('org_admin'), [ACME]);
    clickStart().flush({ statusCode: 403, code: 'FORBIDDEN', message: 'You may only export your own tenant' }, { status: 403, statusText: 'Forbidden' });
    await fixture.whenStable();

    expect(el('export-error')?.textContent).toContain('You may only export your own tenant');
  });
});
