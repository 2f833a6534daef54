import { randomUUID } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { ImportWizardPage } from '../pages/import-wizard.page.js';
import { LoginPage, NORTHSIDE_ADMIN, SYSADMIN } from '../pages/login.page.js';
import { UndoFlow } from '../pages/undo-flow.page.js';
import { counts, RythmApi } from '../support/api.js';
import { type Bundle, encode, runId, summarize } from '../support/bundles.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

// Needs the undo backend (POST /api/imports/:jobId/undo and change-set restore points): written
// against the contract in backend/src/shared/api-types.ts.

const EDITED = 3;
const ADDED = 2;

type Row = Record<string, unknown>;

test('an org admin imports a bundle with merge, then undoes it from the wizard, and the data is back', async ({ page, request }, testInfo) => {
  const sys = await RythmApi.signIn(request, SYSADMIN);
  const northside = await sys.tenant('northside');
  const before = counts(northside);
  const exportSessions = async (): Promise<Row[]> => {
    const job = await sys.exportTenant(northside.id, 'json');
    const bundle = JSON.parse((await sys.downloadExport(job.id)).toString('utf8')) as Bundle;
    return bundle.data.sessions;
  };

  // Northside as it is, with the notes of three sessions edited and two sessions added: a merge
  // that updates 3 rows and inserts 2.
  const exported = await sys.exportTenant(northside.id, 'json');
  const bundle = JSON.parse((await sys.downloadExport(exported.id)).toString('utf8')) as Bundle;
  const original = structuredClone(bundle.data.sessions);
  expect(original.length).toBeGreaterThan(EDITED + ADDED);
  const tag = runId();
  for (const session of bundle.data.sessions.slice(0, EDITED)) session.notes = `edited by e2e ${tag}`;
  const added = bundle.data.sessions.slice(EDITED, EDITED + ADDED).map((s) => ({ ...s, id: randomUUID(), notes: `added by e2e ${tag}` }));
  bundle.data.sessions.push(...added);
  bundle.summary = summarize(bundle);

  await new LoginPage(page).signIn(NORTHSIDE_ADMIN);
  const wizard = new ImportWizardPage(page);
  await wizard.open();
  await wizard.upload(encode(bundle, `northside-undo-${tag}.json`));
  await wizard.nextFromBundle();
  await expect(wizard.targetTenant).toContainText('Northside Strength');
  await wizard.chooseStrategy('merge');
  await wizard.nextFromTarget();
  await wizard.validate();
  await expect(wizard.planCell('sessions', 'insert')).toHaveText(String(ADDED));
  await expect(wizard.planCell('sessions', 'update')).toHaveText(String(EDITED));
  await wizard.nextFromValidate();
  const importId = await wizard.run();
  await expect(wizard.result).toHaveAttribute('data-applied', 'true');
  expect((await sys.tenant('northside')).sessions).toBe(before.sessions + ADDED);
  const report = await sys.importReport(importId);
  expect(report).toMatchObject({ applied: true, restorePoint: 'change-set' });

  // The result offers the undo (a change set), not a restore.
  await expect(page.getByRole('region', { name: 'Undo', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Restore this backup' })).toHaveCount(0);
  const undo = new UndoFlow(page);
  const checkId = await undo.check();
  await expect(undo.planCell('sessions', 'delete')).toHaveText(String(ADDED));
  await expect(undo.planCell('sessions', 'restore')).toHaveText(String(EDITED));
  await expect(undo.conflicts).toHaveCount(0);
  // The check wrote nothing.
  expect((await sys.tenant('northside')).sessions).toBe(before.sessions + ADDED);
  expect(await sys.job(checkId)).toMatchObject({ type: 'undo', status: 'succeeded', result: { dryRun: true, applied: false } });

  const undoId = await undo.confirm();
  await expect(undo.done).toContainText('The import has been undone.');
  await expect(undo.root.getByRole('link', { name: 'Open the undo job' })).toHaveAttribute('href', `/jobs/${undoId}`);
  await expect(undo.root.getByRole('button', { name: 'Redo (undo the undo)' })).toBeVisible();

  // Read back: the counts and the rows are as before the import.
  const undoJob = await sys.expectSucceeded(undoId);
  expect(undoJob).toMatchObject({ type: 'undo', result: { applied: true, dryRun: false, undoesJobId: importId } });
  expect(counts(await sys.tenant('northside'))).toEqual(before);
  const after = await exportSessions();
  const byId = new Map(after.map((s) => [s.id, s]));
  expect(after.map((s) => s.id).sort()).toEqual(original.map((s) => s.id).sort());
  for (const session of original.slice(0, EDITED)) expect(byId.get(session.id)?.notes).toBe(session.notes);
  for (const session of added) expect(byId.has(session.id)).toBe(false);

  await saveFinalScreenshot(page, testInfo);
});
