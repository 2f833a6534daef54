import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { Subject } from 'rxjs';
import { signInAs } from '../../../testing/auth';
import { job, user } from '../../../testing/fixtures';
import { FakeEventSource, provideConsoleTesting } from '../../../testing/providers';
import { UndoImportDialog } from './undo-import.dialog';

describe('UndoImportDialog', () => {
  let fixture: ComponentFixture<UndoImportDialog>;
  let http: HttpTestingController;
  let dialogRef: { close: jest.Mock; disableClose: boolean; keydownEvents: () => Subject<KeyboardEvent> };
  const keys = new Subject<KeyboardEvent>();

  const el = (testId: string): HTMLElement | null => fixture.nativeElement.querySelector(`[data-testid="${testId}"]`);
  const report = (applied: boolean) => ({
    jobId: 'x',
    status: 'succeeded',
    undoesJobId: 'u-1',
    changeSetId: 'cs',
    tenantId: null,
    dryRun: !applied,
    force: false,
    plan: [{ table: 'sessions', delete: 0, restore: 0, reinsert: 2 }],
    conflicts: [],
    moreConflicts: 0,
    overwritten: 0,
    applied,
    backupId: applied ? 'cs-2' : null,
    durationMs: 1,
  });

  beforeEach(async () => {
    dialogRef = { close: jest.fn(), disableClose: false, keydownEvents: () => keys };
    TestBed.configureTestingModule({
      imports: [UndoImportDialog],
      providers: [
        ...provideConsoleTesting(),
        { provide: MAT_DIALOG_DATA, useValue: { jobId: 'u-1', redo: true } },
        { provide: MatDialogRef, useValue: dialogRef },
      ],
    });
    http = TestBed.inject(HttpTestingController);
    signInAs(user('org_admin'));
    fixture = TestBed.createComponent(UndoImportDialog);
    await fixture.whenStable();
  });

  afterEach(() => http.verify());

  it('starts the check at once, stays open while the redo runs, and closes with true once it applied', async () => {
    expect(dialogRef.disableClose).toBe(true);
    const check = http.expectOne('/api/imports/u-1/undo');
    expect(check.request.body).toEqual({ dryRun: true });
    check.flush(job({ id: 'c1', type: 'undo', status: 'queued' }));
    FakeEventSource.latest().send(job({ id: 'c1', type: 'undo', status: 'succeeded', result: report(false) }));
    await fixture.whenStable();
    expect(el('undo-confirm')?.textContent?.trim()).toBe('Redo the import');

    el('undo-confirm')!.click();
    http.expectOne('/api/imports/u-1/undo').flush(job({ id: 'r1', type: 'undo', status: 'running' }));
    await fixture.whenStable();
    keys.next(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(dialogRef.close).not.toHaveBeenCalled();

    FakeEventSource.latest().send(job({ id: 'r1', type: 'undo', status: 'succeeded', result: report(true) }));
    await fixture.whenStable();
    expect(el('undo-done')?.textContent).toContain('The import has been applied again.');
    el('undo-dialog-close')!.click();
    expect(dialogRef.close).toHaveBeenCalledWith(true);
  });

  it('closes with false when nothing was undone', async () => {
    http
      .expectOne('/api/imports/u-1/undo')
      .flush({ statusCode: 409, code: 'CONFLICT', message: 'already undone by job u-2' }, { status: 409, statusText: 'Conflict' });
    await fixture.whenStable();
    expect(el('undo-start-error')?.textContent).toContain('already undone by job u-2');
    keys.next(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(dialogRef.close).toHaveBeenCalledWith(false);
  });
});
