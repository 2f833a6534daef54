import { type HarnessLoader } from '@angular/cdk/testing';
import { TestbedHarnessEnvironment } from '@angular/cdk/testing/testbed';
import { HttpTestingController } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { MatButtonHarness } from '@angular/material/button/testing';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { MatInputHarness } from '@angular/material/input/testing';
import type { BackupView } from '@rythm/api-types';
import { signInAs } from '../../testing/auth';
import { ACME, job, report, user } from '../../testing/fixtures';
import { FakeEventSource, provideConsoleTesting } from '../../testing/providers';
import { RestoreBackupDialog, confirmationWord } from './restore-backup.dialog';

function backup(overrides: Partial<BackupView> = {}): BackupView {
  return {
    id: 'bk-1',
    kind: 'manual',
    content: 'bundle',
    jobId: null,
    scope: 'tenant',
    tenantId: ACME.id,
    tenantSlug: 'acme',
    fileName: 'acme-2026-03-01.sql.gz',
    sizeBytes: 123456,
    sha256: 'f'.repeat(64),
    rowCounts: { users: 12 },
    schemaVersion: 'InitialSchema1764300000000',
    createdBy: 'user-system_admin',
    note: 'before the spring clean-up',
    createdAt: '2026-03-01T09:00:00.000Z',
    ...overrides,
  };
}

describe('RestoreBackupDialog', () => {
  let fixture: ComponentFixture<RestoreBackupDialog>;
  let http: HttpTestingController;
  let loader: HarnessLoader;
  let dialogRef: { close: jest.Mock; disableClose: boolean };

  async function open(data: BackupView, previewValid = true): Promise<void> {
    dialogRef = { close: jest.fn(), disableClose: false };
    TestBed.configureTestingModule({
      imports: [RestoreBackupDialog],
      providers: [...provideConsoleTesting(), { provide: MAT_DIALOG_DATA, useValue: { backup: data } }, { provide: MatDialogRef, useValue: dialogRef }],
    });
    http = TestBed.inject(HttpTestingController);
    signInAs(user('system_admin'));
    fixture = TestBed.createComponent(RestoreBackupDialog);
    loader = TestbedHarnessEnvironment.loader(fixture);

    // The dry-run preview starts on its own.
    const preview = http.expectOne(`/api/backups/${data.id}/restore`);
    expect(preview.request.body).toEqual({ dryRun: true });
    preview.flush(job({ id: 'preview-1', type: 'restore', status: 'queued' }));
    FakeEventSource.latest().send(job({ id: 'preview-1', type: 'restore', status: 'succeeded' }));
    http.expectOne('/api/imports/preview-1/report').flush(
      report({
        jobId: 'preview-1',
        strategy: 'replace',
        valid: previewValid,
        errors: previewValid ? [] : [{ table: 'users', rowId: null, field: null, message: 'schema too new' }],
      }),
    );
    await fixture.whenStable();
  }

  const restoreButton = (): Promise<MatButtonHarness> => loader.getHarness(MatButtonHarness.with({ selector: '[data-testid="restore-confirm"]' }));
  const confirmInput = (): Promise<MatInputHarness> => loader.getHarness(MatInputHarness.with({ selector: '[data-testid="restore-confirm-input"]' }));

  afterEach(() => http.verify());

  it('keeps Restore disabled until the tenant slug is typed exactly', async () => {
    await open(backup());
    expect(fixture.nativeElement.querySelector('[data-testid="restore-preview-plan"]')).not.toBeNull();

    expect(await (await restoreButton()).isDisabled()).toBe(true);
    await (await confirmInput()).setValue('acm');
    expect(await (await restoreButton()).isDisabled()).toBe(true);
    await (await confirmInput()).setValue('ACME');
    expect(await (await restoreButton()).isDisabled()).toBe(true);
    await (await confirmInput()).setValue('acme');
    expect(await (await restoreButton()).isDisabled()).toBe(false);
  });

  it('runs the real restore once confirmed and closes with true when done', async () => {
    await open(backup());
    await (await confirmInput()).setValue('acme');

    await (await restoreButton()).click();
    const restore = http.expectOne('/api/backups/bk-1/restore');
    expect(restore.request.body).toEqual({ dryRun: false });
    restore.flush(job({ id: 'restore-1', type: 'restore', status: 'running' }));
    expect(dialogRef.disableClose).toBe(true);
    FakeEventSource.latest().send(job({ id: 'restore-1', type: 'restore', status: 'succeeded' }));
    await fixture.whenStable();

    expect(fixture.nativeElement.querySelector('[data-testid="restore-done"]')).not.toBeNull();
    await (await loader.getHarness(MatButtonHarness.with({ selector: '[data-testid="restore-close"]' }))).click();
    expect(dialogRef.close).toHaveBeenCalledWith(true);
  });

  it('asks for "full" on a full-scope backup', async () => {
    await open(backup({ scope: 'full', tenantId: null, tenantSlug: null }));

    await (await confirmInput()).setValue('acme');
    expect(await (await restoreButton()).isDisabled()).toBe(true);
    await (await confirmInput()).setValue('full');
    expect(await (await restoreButton()).isDisabled()).toBe(false);
  });

  it('never enables Restore when the preview finds the backup invalid', async () => {
    await open(backup(), false);

    expect(fixture.nativeElement.querySelector('[data-testid="restore-preview-errors"]')?.textContent).toContain('schema too new');
    await (await confirmInput()).setValue('acme');
    expect(await (await restoreButton()).isDisabled()).toBe(true);
  });

  it("falls back to the plan in the restore job's result when the report endpoint has none", async () => {
    dialogRef = { close: jest.fn(), disableClose: false };
    TestBed.configureTestingModule({
      imports: [RestoreBackupDialog],
      providers: [...provideConsoleTesting(), { provide: MAT_DIALOG_DATA, useValue: { backup: backup() } }, { provide: MatDialogRef, useValue: dialogRef }],
    });
    http = TestBed.inject(HttpTestingController);
    signInAs(user('system_admin'));
    fixture = TestBed.createComponent(RestoreBackupDialog);
    loader = TestbedHarnessEnvironment.loader(fixture);
    http.expectOne('/api/backups/bk-1/restore').flush(job({ id: 'preview-2', type: 'restore', status: 'queued' }));

    FakeEventSource.latest().send(job({ id: 'preview-2', type: 'restore', status: 'succeeded', result: { ...report({ strategy: 'replace' }) } }));
    http
      .expectOne('/api/imports/preview-2/report')
      .flush({ statusCode: 404, code: 'NOT_FOUND', message: 'not an import job' }, { status: 404, statusText: 'Not Found' });
    await fixture.whenStable();

    expect(fixture.nativeElement.querySelector('[data-testid="restore-preview-plan"]')).not.toBeNull();
    await (await confirmInput()).setValue('acme');
    expect(await (await restoreButton()).isDisabled()).toBe(false);
  });

  it('derives the confirmation word from the scope', () => {
    expect(confirmationWord(backup())).toBe('acme');
    expect(confirmationWord(backup({ scope: 'full' }))).toBe('full');
    expect(confirmationWord(backup({ scope: 'global' }))).toBe('global');
  });
});
