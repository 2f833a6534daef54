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
  for (const [job, kind] of [
    [exportJob, 'Export'],
    [importJob, 'Dry run'],
    [backupJob!, 'Backup'],
  ] as const) {
    await expect(jobs.row(job.id)).toBeVisible();
    await expect(jobs.kindLink(job.id)).toHaveText(kind);
    await expect(jobs.status(job.id)).toHaveText('Succeeded');
  }
  await expect(jobs.row(exportJob.id)).toContainText('northside');
  // Newest first, as the API lists them.
  const listed = await jobs.listedIds();
  expect(listed.indexOf(backupJob!.id)).toBeLessThan(listed.indexOf(importJob.id));
  expect(listed.indexOf(importJob.id)).toBeLessThan(listed.indexOf(exportJob.id));
  await expect(page.getByTestId('jobs-live-state')).toContainText('Live');

  // Filtered by kind: only exports.
  await jobs.filterKind('Export');
  await expect(jobs.row(backupJob!.id)).toHaveCount(0);
  await expect(jobs.row(exportJob.id)).toBeVisible();
  const exportsOnly = (await api.jobs({ type: 'export', pageSize: 25 })).items.map((j) => j.id);
  await expect.poll(() => jobs.listedIds()).toEqual(exportsOnly);

  await saveFinalScreenshot(page, testInfo);
});

test('a job opens again from the Jobs page: a dry run with its parameters and report, an export with its file', async ({ page, request }, testInfo) => {
  const api = await RythmApi.signIn(request, SYSADMIN);
  const slug = `e2e-detail-${runId()}`;
  const dryRun = await api.startImport(encode(freshTenantBundle('small', slug), `${slug}.json`), { strategy: 'merge', dryRun: true });
  await api.expectSucceeded(dryRun.id);
  const realImport = await api.startImport(encode(freshTenantBundle('small', `${slug}-b`), `${slug}-b.json`), { strategy: 'merge', dryRun: false });
  await api.expectSucceeded(realImport.id);
  const exportJob = await api.exportTenant((await api.tenant('northside')).id, 'json');
  const report = await api.importReport(dryRun.id);
  const sessionsToInsert = report.plan.find((p) => p.table === 'sessions')!.insert;

  await new LoginPage(page).signIn(SYSADMIN);
  const jobs = new JobsPage(page);
  await jobs.open();
  await expect(jobs.kindLink(realImport.id)).toHaveText('Import');

  // Only dry runs: the real import is not among them.
  await jobs.filterKind('Dry run');
  await expect(jobs.row(dryRun.id)).toBeVisible();
  await expect(jobs.row(realImport.id)).toHaveCount(0);
  await expect.poll(async () => [...new Set(await jobs.table.getByRole('link', { name: /job .*, open$/ }).allTextContents())]).toEqual(['Dry run']);

  await jobs.kindLink(dryRun.id).click();
  await expect(page).toHaveURL(new RegExp(`/jobs/${dryRun.id}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dry run');
  const params = page.getByRole('region', { name: 'Parameters' });
  await expect(params).toContainText('Strategy');
  await expect(params).toContainText('Merge');
  await expect(params).toContainText('Dry run');
  const reportRegion = page.getByRole('region', { name: 'Report' });
  await expect(reportRegion.getByTestId('job-detail-plan-sessions-insert')).toHaveText(String(sessionsToInsert));
  await expect(reportRegion).toContainText(`tenant ${slug}`);

  // Back to the list, then an export: its file can be downloaded again.
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Jobs' }).click();
  await jobs.filterKind('Export');
  await jobs.kindLink(exportJob.id).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Export');
  const download = page.waitForEvent('download');
  await page.getByRole('region', { name: 'File' }).getByRole('button', { name: 'Download' }).click();
  expect((await download).suggestedFilename()).toBe(String(exportJob.result?.fileName));

  await saveFinalScreenshot(page, testInfo);
});
