import { expect, test } from '@playwright/test';
import { JobsPage } from '../pages/jobs.page.js';
import { LoginPage, SYSADMIN } from '../pages/login.page.js';
import { RythmApi } from '../support/api.js';
import { encode, freshTenantBundle, runId } from '../support/bundles.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

test('the jobs page lists recent export, import and backup jobs with their status', async ({ page, request }, testInfo) => {
  const api = await RythmApi.signIn(request, SYSADMIN);
  const northside = await api.tenant('northside');
  const exportJob = await api.exportTenant(northside.id, 'sql');
  const slug = `e2e-jobs-${runId()}`;
  const importJob = await api.startImport(encode(freshTenantBundle('small', slug), `${slug}.json`), { strategy: 'merge', dryRun: true });
  await api.expectSucceeded(importJob.id);
  const backupId = await api.createBackup(northside.id, `e2e jobs ${slug}`);
  const backupJob = (await api.jobs({ type: 'backup', pageSize: 10 })).items.find((j) => j.result?.backupId === backupId);
  expect(backupJob).toBeDefined();

  await new LoginPage(page).signIn(SYSADMIN);
  const jobs = new JobsPage(page);
  await jobs.open();
  for (const job of [exportJob, importJob, backupJob!]) {
    await expect(jobs.row(job.id)).toBeVisible();
    await expect(jobs.row(job.id)).toContainText(job.type);
    await expect(jobs.status(job.id)).toHaveText('Succeeded');
  }
  await expect(jobs.row(exportJob.id)).toContainText('northside');
  // Newest first, as the API lists them.
  const listed = await jobs.listedIds();
  expect(listed.indexOf(backupJob!.id)).toBeLessThan(listed.indexOf(importJob.id));
  expect(listed.indexOf(importJob.id)).toBeLessThan(listed.indexOf(exportJob.id));
  await expect(page.getByTestId('jobs-live-state')).toContainText('Live');

  // Filtered by type: only exports.
  await jobs.filterType('export');
  await expect(jobs.row(backupJob!.id)).toHaveCount(0);
  await expect(jobs.row(exportJob.id)).toBeVisible();
  const exportsOnly = (await api.jobs({ type: 'export', pageSize: 25 })).items.map((j) => j.id);
  await expect.poll(() => jobs.listedIds()).toEqual(exportsOnly);

  await saveFinalScreenshot(page, testInfo);
});
