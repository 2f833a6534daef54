import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { signInAs } from '../../testing/auth';
import { ACME, job, report, user } from '../../testing/fixtures';
import { provideConsoleTesting } from '../../testing/providers';
import { JobDetailPage } from './job-detail.page';

describe('JobDetailPage', () => {
  let fixture: ComponentFixture<JobDetailPage>;
  let http: HttpTestingController;

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);

  function open(id: string, role: 'system_admin' | 'org_admin' = 'system_admin'): void {
    TestBed.configureTestingModule({ imports: [JobDetailPage], providers: provideConsoleTesting() });
    http = TestBed.inject(HttpTestingController);
    signInAs(user(role));
    fixture = TestBed.createComponent(JobDetailPage);
    fixture.componentRef.setInput('id', id);
    fixture.detectChanges();
    http.expectOne('/api/tenants').flush([ACME]);
  }

  async function settle(): Promise<void> {
    TestBed.tick();
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  it("shows a dry run's parameters and its report, opened again after the wizard", async () => {
    open('d1');
    TestBed.tick();
    const dry = job({
      id: 'd1',
      type: 'import',
      status: 'succeeded',
      params: { scope: 'tenant', targetTenantId: ACME.id, strategy: 'merge', dryRun: true, actorRole: 'org_admin', actorTenantId: ACME.id },
      startedAt: '2026-03-01T10:00:00.000Z',
      finishedAt: '2026-03-01T10:00:03.000Z',
    });
    http.expectOne('/api/jobs/d1').flush(dry);
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    http.expectOne('/api/imports/d1/report').flush(report({ jobId: 'd1', rowLabels: { users: { u1: 'Ada Lovelace <ada@acme.test>' } } }));
    await settle();

    expect(el('job-detail-kind')?.textContent).toBe('Dry run');
    expect(el('job-detail-duration')?.textContent).toBe('3.0 s');
    const params = el('job-detail-params')?.textContent ?? '';
    expect(params).toContain('Strategy');
    expect(params).toContain('Merge');
    expect(params).toContain('Acme Gym (acme)');
    expect(params).toContain('Organisation admin');
    expect(params).not.toContain('actorTenantId');
    expect(el('job-detail-plan-users-insert')?.textContent?.trim()).toBe('2');
    expect(el('job-detail-diffs')?.textContent).toContain('Ada Lovelace <ada@acme.test>');
  });

  it("offers an export's file and links a backup job to its backup", async () => {
    open('e1');
    TestBed.tick();
    http
      .expectOne('/api/jobs/e1')
      .flush(
        job({ id: 'e1', type: 'export', status: 'succeeded', params: { scope: 'tenant', format: 'json' }, result: { fileName: 'acme.json', sizeBytes: 4096 } }),
      );
    await settle();

    expect(el('job-detail-kind')?.textContent).toBe('Export');
    expect(el('job-detail-file')?.textContent).toContain('acme.json · 4.0 KB');
    expect(el('job-detail-download')).not.toBeNull();
    expect(el('job-detail-report')).toBeNull();
  });

  it.each([
    ['another user', 'user-system_admin', false],
    ['the org admin themselves', 'user-org_admin', true],
  ])('offers an org admin the file of an export started by %s: %s', async (_who, createdBy, offered) => {
    open('e2', 'org_admin');
    TestBed.tick();
    http.expectOne('/api/jobs/e2').flush(
      job({
        id: 'e2',
        type: 'export',
        status: 'succeeded',
        createdBy,
        params: { scope: 'tenant', format: 'json' },
        result: { fileName: 'acme.json', sizeBytes: 4096 },
      }),
    );
    await settle();

    expect(el('job-detail-download') !== null).toBe(offered);
    expect(el('job-detail-download-not-yours') !== null).toBe(!offered);
  });

  it("shows an undo job's report and offers the redo", async () => {
    open('u1');
    TestBed.tick();
    const undo = job({
      id: 'u1',
      type: 'undo',
      status: 'succeeded',
      params: { undoesJobId: 'imp-1', changeSetId: 'cs-1', dryRun: false, force: true, actorRole: 'org_admin' },
      result: {
        jobId: 'u1',
        status: 'succeeded',
        undoesJobId: 'imp-1',
        changeSetId: 'cs-1',
        tenantId: ACME.id,
        dryRun: false,
        force: true,
        plan: [{ table: 'sessions', delete: 4, restore: 1, reinsert: 0 }],
        conflicts: [{ table: 'sessions', rowId: 's9', reason: 'changed', message: 'notes changed' }],
        moreConflicts: 0,
        overwritten: 1,
        applied: true,
        backupId: 'cs-2',
        durationMs: 40,
      },
    });
    http.expectOne('/api/jobs/u1').flush(undo);
    await settle();

    expect(el('job-detail-kind')?.textContent).toBe('Undo');
    const params = el('job-detail-params')?.textContent ?? '';
    expect(params).toContain('Undoes the job');
    expect(params).toContain('Overwrite rows changed since');
    expect(el('job-detail-undoes-link')?.getAttribute('href')).toBe('/jobs/imp-1');
    expect(el('job-detail-undo-facts')?.textContent).toContain('overwriting rows changed since (1)');
    expect(el('job-detail-undo-plan-sessions-delete')?.textContent?.trim()).toBe('4');
    expect(el('job-detail-undo-conflicts')?.textContent).toContain('notes changed');
    expect(el('job-detail-backup-link')?.textContent).toContain('The change set this undo kept');
    expect(el('job-detail-undo-button')?.textContent).toContain('Redo the import');
  });

  it('offers Undo on an applied import with a change set, and says so once another job undid it', async () => {
    open('i1');
    TestBed.tick();
    const applied = report({ jobId: 'i1', dryRun: false, applied: true, backupId: 'cs-1', restorePoint: 'change-set' });
    http.expectOne('/api/jobs/i1').flush(job({ id: 'i1', type: 'import', status: 'succeeded', params: { dryRun: false }, result: { ...applied } }));
    await new Promise((resolve) => setTimeout(resolve));
    TestBed.tick();
    http.expectOne('/api/imports/i1/report').flush({ ...applied, undoneByJobId: 'u7' });
    await settle();

    expect(el('job-detail-undo')).toBeNull();
    expect(el('job-detail-undone-link')?.getAttribute('href')).toBe('/jobs/u7');
    expect(el('job-detail-backup-link')?.textContent).toContain('The change set this import kept');
  });
});
