import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MatCheckboxHarness } from '@angular/material/checkbox/testing';
import type { UndoConflict, UndoReport } from '@rythm/api-types';
import { signInAs } from '../../../testing/auth';
import { job, user } from '../../../testing/fixtures';
import { FakeEventSource, provideConsoleTesting } from '../../../testing/providers';
import { UndoFlowComponent } from './undo-flow.component';

function undoReport(overrides: Partial<UndoReport> = {}): UndoReport {
  return {
    jobId: 'undo-check-1',
    status: 'succeeded',
    undoesJobId: 'imp-1',
    changeSetId: 'cs-1',
    tenantId: 'tenant-acme',
    dryRun: true,
    force: false,
    plan: [
      { table: 'sessions', delete: 10, restore: 2, reinsert: 0 },
      { table: 'sets', delete: 30, restore: 0, reinsert: 1 },
    ],
    conflicts: [],
    moreConflicts: 0,
    overwritten: 0,
    applied: false,
    backupId: null,
    durationMs: 12,
    ...overrides,
  };
}

const conflict = (reason: UndoConflict['reason'], rowId: string): UndoConflict => ({ table: 'sets', rowId, reason, message: `row ${rowId}: ${reason}` });

describe('UndoFlowComponent', () => {
  let fixture: ComponentFixture<UndoFlowComponent>;
  let http: HttpTestingController;
  let loader: HarnessLoader;
  let undone: UndoReport[];

  function create(inputs: { jobId?: string; redo?: boolean; autoStart?: boolean } = {}): void {
    TestBed.configureTestingModule({ imports: [UndoFlowComponent], providers: provideConsoleTesting() });
    http = TestBed.inject(HttpTestingController);
    signInAs(user('org_admin'));
    fixture = TestBed.createComponent(UndoFlowComponent);
    fixture.componentRef.setInput('jobId', inputs.jobId ?? 'imp-1');
    if (inputs.redo !== undefined) fixture.componentRef.setInput('redo', inputs.redo);
    if (inputs.autoStart !== undefined) fixture.componentRef.setInput('autoStart', inputs.autoStart);
    undone = [];
    fixture.componentInstance.undone.subscribe((r) => undone.push(r));
    loader = TestbedHarnessEnvironment.loader(fixture);
  }

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);
  const button = (testId: string): Promise<MatButtonHarness> => loader.getHarness(MatButtonHarness.with({ selector: `[data-testid="${testId}"]` }));

  /** Answers the dry-run undo: 202 queued, then the job's end on the event stream. */
  async function answerCheck(report: UndoReport, jobId = 'imp-1'): Promise<void> {
    const post = http.expectOne(`/api/imports/${jobId}/undo`);
    expect(post.request.method).toBe('POST');
    expect(post.request.body).toEqual({ dryRun: true });
    post.flush(job({ id: report.jobId, type: 'undo', status: 'queued', params: { dryRun: true } }));
    FakeEventSource.latest().send(job({ id: report.jobId, type: 'undo', status: 'succeeded', params: { dryRun: true }, result: { ...report } }));
    await fixture.whenStable();
  }

  afterEach(() => http.verify());

  it('checks first, shows the plan, and undoes on confirmation', async () => {
    create();
    await fixture.whenStable();
    http.expectNone('/api/imports/imp-1/undo');

    await (await button('undo-start')).click();
    await answerCheck(undoReport());

    expect(el('undo-preview-summary')?.textContent).toContain('40 to delete, 2 to put back, 1 to insert again');
    expect(el('undo-plan-sessions-delete')?.textContent?.trim()).toBe('10');
    expect(el('undo-plan-total-delete')?.textContent?.trim()).toBe('40');
    expect(el('undo-conflicts')).toBeNull();
    expect(el('undo-force')).toBeNull();

    const confirm = await button('undo-confirm');
    expect(await confirm.getText()).toBe('Undo the import');
    expect(await confirm.isDisabled()).toBe(false);
    await confirm.click();
    const post = http.expectOne('/api/imports/imp-1/undo');
    expect(post.request.body).toEqual({ dryRun: false });
    post.flush(job({ id: 'undo-1', type: 'undo', status: 'running', params: { dryRun: false } }));
    const applied = undoReport({ jobId: 'undo-1', dryRun: false, applied: true, backupId: 'cs-2' });
    FakeEventSource.latest().send(job({ id: 'undo-1', type: 'undo', status: 'succeeded', params: { dryRun: false }, result: { ...applied } }));
    await fixture.whenStable();

    expect(el('undo-done')?.textContent).toContain('The import has been undone.');
    expect(el('undo-job-link')?.getAttribute('href')).toBe('/jobs/undo-1');
    expect(undone).toEqual([applied]);
    expect(el('undo-confirm')).toBeNull();
  });

  it('asks before overwriting rows changed since the import and then sends force', async () => {
    create({ autoStart: true });
    await fixture.whenStable();
    await answerCheck(undoReport({ conflicts: [conflict('changed', 's1'), conflict('deleted', 's2')], moreConflicts: 1 }));

    expect(fixture.nativeElement.querySelectorAll('[data-testid="undo-conflicts-row"]').length).toBe(2);
    expect(el('undo-conflicts')?.textContent).toContain('Changed since the import');
    expect(el('undo-conflicts')?.textContent).toContain('row s2: deleted');
    expect(el('undo-conflicts-more')?.textContent).toContain('1 more row conflicts too');
    expect(await (await button('undo-confirm')).isDisabled()).toBe(true);

    const overwrite = await loader.getHarness(MatCheckboxHarness.with({ selector: '[data-testid="undo-force"]' }));
    expect(await overwrite.getLabelText()).toBe('Overwrite the 3 changed rows');
    await overwrite.check();
    await (await button('undo-confirm')).click();
    const post = http.expectOne('/api/imports/imp-1/undo');
    expect(post.request.body).toEqual({ dryRun: false, force: true });
    post.flush(job({ id: 'undo-2', type: 'undo', status: 'queued' }));
    const applied = undoReport({ jobId: 'undo-2', dryRun: false, force: true, applied: true, overwritten: 3, backupId: 'cs-3' });
    FakeEventSource.latest().send(job({ id: 'undo-2', type: 'undo', status: 'succeeded', result: { ...applied } }));
    await fixture.whenStable();
    expect(el('undo-done')?.textContent).toContain('3 changed rows were overwritten.');
  });

  it('offers no confirmation when a conflict blocks the undo, and explains why', async () => {
    create({ autoStart: true });
    await fixture.whenStable();
    await answerCheck(undoReport({ conflicts: [conflict('changed', 's1'), conflict('references', 's2')] }));

    expect(el('undo-blocked')?.textContent).toContain('cannot be undone');
    expect(el('undo-conflicts')?.textContent).toContain('(blocks the undo)');
    expect(el('undo-confirm')).toBeNull();
    expect(el('undo-force')).toBeNull();

    await (await button('undo-check-again')).click();
    await answerCheck(undoReport());
    expect(el('undo-blocked')).toBeNull();
    expect(await (await button('undo-confirm')).isDisabled()).toBe(false);
  });

  it("shows the API's refusal when the import cannot be undone (a full backup, already undone)", async () => {
    create({ autoStart: true });
    await fixture.whenStable();
    http
      .expectOne('/api/imports/imp-1/undo')
      .flush(
        { statusCode: 410, code: 'GONE', message: 'The restore point of this import is a full backup: restore backup bk-9 instead' },
        { status: 410, statusText: 'Gone' },
      );
    await fixture.whenStable();

    expect(el('undo-start-error')?.textContent).toContain('restore backup bk-9 instead');
    expect(el('undo-confirm')).toBeNull();
  });

  it('lists the conflicts when the real undo is refused, changes nothing and offers a new check', async () => {
    create({ autoStart: true });
    await fixture.whenStable();
    await answerCheck(undoReport());
    await (await button('undo-confirm')).click();
    http.expectOne('/api/imports/imp-1/undo').flush(job({ id: 'undo-3', type: 'undo', status: 'running' }));
    FakeEventSource.latest().send(
      job({
        id: 'undo-3',
        type: 'undo',
        status: 'failed',
        error: { code: 'CONFLICT', message: '1 row changed since the check' },
        result: { ...undoReport({ jobId: 'undo-3', dryRun: false, conflicts: [conflict('changed', 's7')] }) },
      }),
    );
    await fixture.whenStable();

    expect(el('undo-run-error')?.textContent).toContain('1 row changed since the check');
    expect(el('undo-run-conflicts')?.textContent).toContain('row s7: changed');
    expect(el('undo-done')).toBeNull();
    expect(undone).toEqual([]);

    await (await button('undo-run-error-retry')).click();
    await answerCheck(undoReport({ conflicts: [conflict('changed', 's7')] }));
    expect(el('undo-force')).not.toBeNull();
  });

  it('reads the report back when the job view carries none, and redoes by undoing the undo', async () => {
    create({ autoStart: true });
    await fixture.whenStable();
    http.expectOne('/api/imports/imp-1/undo').flush(job({ id: 'undo-check-1', type: 'undo', status: 'queued' }));
    FakeEventSource.latest().send(job({ id: 'undo-check-1', type: 'undo', status: 'succeeded', result: null }));
    http.expectOne('/api/imports/undo-check-1/undo-report').flush(undoReport());
    await fixture.whenStable();

    await (await button('undo-confirm')).click();
    http.expectOne('/api/imports/imp-1/undo').flush(job({ id: 'undo-4', type: 'undo', status: 'queued' }));
    FakeEventSource.latest().send(job({ id: 'undo-4', type: 'undo', status: 'succeeded', result: { ...undoReport({ jobId: 'undo-4', applied: true }) } }));
    await fixture.whenStable();

    const redo = await button('undo-redo');
    expect(await redo.getText()).toBe('Redo (undo the undo)');
    await redo.click();
    await answerCheck(undoReport({ jobId: 'redo-check', undoesJobId: 'undo-4' }), 'undo-4');
    expect(await (await button('undo-confirm')).getText()).toBe('Redo the import');
  });
});
