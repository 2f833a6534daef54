import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { HttpTestingController, type TestRequest } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatPaginatorHarness } from '@angular/material/paginator/testing';
import { MatSortHarness } from '@angular/material/sort/testing';
import type { BackupView, UserView } from '@rythm/api-types';
import { signInAs } from '../../testing/auth';
import { ACME, user, waitFor } from '../../testing/fixtures';
import { provideConsoleTesting } from '../../testing/providers';
import { BackupsPage } from './backups.page';

const backups: BackupView[] = [
  {
    id: 'bk-1',
    kind: 'manual',
    content: 'bundle',
    jobId: null,
    scope: 'tenant',
    tenantId: ACME.id,
    tenantSlug: 'acme',
    fileName: 'acme.sql.gz',
    sizeBytes: 2048,
    sha256: 'a',
    rowCounts: {},
    schemaVersion: 's',
    createdBy: null,
    note: 'before clean-up',
    createdAt: '2026-03-01T09:00:00.000Z',
  },
];

describe('BackupsPage', () => {
  let fixture: ComponentFixture<BackupsPage>;
  let http: HttpTestingController;
  let loader: HarnessLoader;

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);
  const isList = (r: { url: string; params: { get(name: string): string | null } }): boolean => r.url === '/api/backups' && r.params.get('pageSize') !== '200';
  const isHistory = (r: { url: string; params: { get(name: string): string | null } }): boolean =>
    r.url === '/api/backups' && r.params.get('pageSize') === '200';
  const expectList = (): TestRequest => http.expectOne(isList);
  /** Harness actions wait for stability, which waits for the request: answer it while they wait. */
  async function nextList(): Promise<TestRequest> {
    let found: TestRequest[] = [];
    await waitFor(() => (found = http.match(isList)).length > 0);
    return found[0];
  }

  async function render(as: UserView, history: BackupView[] = backups, focus?: string): Promise<void> {
    TestBed.configureTestingModule({ imports: [BackupsPage], providers: provideConsoleTesting() });
    http = TestBed.inject(HttpTestingController);
    signInAs(as);
    fixture = TestBed.createComponent(BackupsPage);
    if (focus) fixture.componentRef.setInput('backup', focus);
    loader = TestbedHarnessEnvironment.loader(fixture);
    fixture.detectChanges();
    http.expectOne(isHistory).flush({ items: history, total: history.length, page: 1, pageSize: 200 });
    if (focus) http.expectOne(`/api/backups/${focus}`).flush(backups[0]);
    http.expectOne('/api/tenants').flush([ACME]);
    http.expectOne('/api/backups/schedule').flush({ cron: '30 2 * * *', retentionDays: null, retentionCount: 7 });
    const list = expectList();
    expect(list.request.params.toString()).toBe('page=1&pageSize=25&sort=createdAt&order=desc');
    list.flush({ items: backups, total: 60, page: 1, pageSize: 25 });
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  it('lists backups with the schedule and retention', async () => {
    await render(user('system_admin'));

    expect(el('backups-schedule')?.textContent).toContain('every day at 02:30');
    expect(el('backups-schedule')?.textContent).toContain('last 7');
    expect(el('backup-row-bk-1')?.textContent).toContain('before clean-up');
    expect(el('backup-restore-bk-1')).not.toBeNull();
    expect(el('backup-delete-bk-1')).not.toBeNull();
    expect(el('backup-download-bk-1')).not.toBeNull();
    expect(el('backup-create')).not.toBeNull();
  });

  it('hides delete and other tenants from org admins, who may still create and restore', async () => {
    await render(user('org_admin'));

    expect(el('backup-create')).not.toBeNull();
    expect(el('backup-delete-bk-1')).toBeNull();
    expect(el('backups-filter-tenant')).toBeNull();
    expect(el('backup-restore-bk-1')).not.toBeNull();
  });

  it('tells an org admin why backups cannot be downloaded, and offers the export instead', async () => {
    await render(user('org_admin'));

    expect(el('backup-download-bk-1')).toBeNull();
    expect(el('backups-download-note')?.textContent).toContain('Backups carry credentials; only system admins can download them.');
    expect(el('backups-download-note')?.querySelector('a')?.getAttribute('href')).toBe('/export');
  });

  it('shows the backup a link points to on its own, with its time, size and a prominent restore', async () => {
    await render(user('org_admin'), backups, 'bk-1');

    const focus = el('backup-focus');
    expect(focus?.textContent).toContain('Manual backup of 1 Mar 2026');
    expect(focus?.textContent).toContain('2.0 KB');
    expect(el('backup-focus-restore')?.textContent).toContain('Restore this backup');
    expect(el('backup-focus-download')).toBeNull();
    expect(el('backup-row-bk-1')?.getAttribute('aria-current')).toBe('true');
  });

  it('charts backup sizes per tenant and calls out a sudden shrink', async () => {
    const at = (day: number, sizeBytes: number): BackupView => ({ ...backups[0], id: `bk-${day}`, sizeBytes, createdAt: `2026-03-0${day}T09:00:00.000Z` });
    await render(user('system_admin'), [at(3, 400_000), at(2, 1_000_000), at(1, 900_000)]);

    expect(el('backups-size-chart')?.querySelector('svg')?.getAttribute('aria-label')).toContain('acme, latest 391 KB');
    expect(el('backups-size-drop')?.textContent).toContain('acme: the backup of 3 Mar 2026');
    expect(el('backups-size-drop')?.textContent).toContain('60 % smaller');
  });

  it('asks the server for the next page and for the other sort order', async () => {
    await render(user('system_admin'));

    const paginator = await loader.getHarness(MatPaginatorHarness);
    const next = paginator.goToNextPage();
    const second = await nextList();
    expect(second.request.params.get('page')).toBe('2');
    second.flush({ items: [], total: 60, page: 2, pageSize: 25 });
    await next;

    const sort = await loader.getHarness(MatSortHarness);
    const [time] = await sort.getSortHeaders({ label: 'Time' });
    const clicked = time.click();
    const sorted = await nextList();
    expect(sorted.request.params.get('order')).toBe('asc');
    expect(sorted.request.params.get('sort')).toBe('createdAt');
    expect(sorted.request.params.get('page')).toBe('1');
    sorted.flush({ items: backups, total: 60, page: 1, pageSize: 25 });
    await clicked;
  });

  it('deletes a backup after confirmation and reloads the list', async () => {
    await render(user('system_admin'));

    el('backup-delete-bk-1')!.click();
    await fixture.whenStable();
    document.querySelector<HTMLElement>('[data-testid="confirm-dialog-confirm"]')!.click();
    await fixture.whenStable();

    const del = http.expectOne('/api/backups/bk-1');
    expect(del.request.method).toBe('DELETE');
    del.flush(null);
    TestBed.tick();
    expectList().flush({ items: [], total: 0, page: 1, pageSize: 25 });
    http.expectOne(isHistory).flush({ items: [], total: 0, page: 1, pageSize: 200 });
  });

  it('shows a change set as the change set of its import, with Undo instead of Restore', async () => {
    const changeSet: BackupView = { ...backups[0], id: 'cs-1', kind: 'pre-import', content: 'change-set', jobId: 'job-abcdef12-3456', note: null };
    TestBed.configureTestingModule({ imports: [BackupsPage], providers: provideConsoleTesting() });
    http = TestBed.inject(HttpTestingController);
    signInAs(user('system_admin'));
    fixture = TestBed.createComponent(BackupsPage);
    fixture.detectChanges();
    http.expectOne(isHistory).flush({ items: [], total: 0, page: 1, pageSize: 200 });
    http.expectOne('/api/tenants').flush([ACME]);
    http.expectOne('/api/backups/schedule').flush({ cron: '30 2 * * *', retentionDays: null, retentionCount: 7 });
    expectList().flush({ items: [changeSet, backups[0]], total: 2, page: 1, pageSize: 25 });
    await fixture.whenStable();

    expect(el('backup-change-set-cs-1')?.textContent).toBe('Change set of import job-abcd');
    expect(el('backup-change-set-cs-1')?.getAttribute('href')).toBe('/jobs/job-abcdef12-3456');
    expect(el('backup-restore-cs-1')).toBeNull();
    expect(el('backup-restore-bk-1')).not.toBeNull();
    expect(el('backup-undo-bk-1')).toBeNull();

    el('backup-undo-cs-1')!.click();
    await fixture.whenStable();
    const check = http.expectOne('/api/imports/job-abcdef12-3456/undo');
    expect(check.request.body).toEqual({ dryRun: true });
  });
});
