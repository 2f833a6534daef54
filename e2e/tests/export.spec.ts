import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { ExportPage, type ExportFormat } from '../pages/export.page.js';
import { LoginPage, SYSADMIN } from '../pages/login.page.js';
import { RythmApi } from '../support/api.js';
import { saveFinalScreenshot } from '../support/screenshot.js';

// What each file starts with, and where it carries the bundle's summary sha256 (the job's result).
const FORMATS: { format: ExportFormat; extension: string; check: (file: Buffer, sha256: string) => void }[] = [
  {
    format: 'json',
    extension: 'json',
    check: (file, sha256) => {
      const text = file.toString('utf8');
      expect(text.split('\n')[0]).toMatch(/^\{"manifest":/);
      expect((JSON.parse(text) as { summary: { sha256: string } }).summary.sha256).toBe(sha256);
    },
  },
  {
    format: 'sql',
    extension: 'sql',
    check: (file, sha256) => {
      const text = file.toString('utf8');
      expect(text.split('\n')[0]).toMatch(/^-- RYTHM Data bundle/);
      expect(text).toContain('COPY "sessions"');
      expect(text.slice(-2000)).toContain(sha256);
    },
  },
  {
    format: 'csv',
    extension: 'zip',
    check: (file) => {
      expect(file.subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
      // Entry names are stored as plain text in a zip's headers.
      for (const entry of ['manifest.json', 'sessions.csv', 'summary.json']) expect(file.includes(entry)).toBe(true);
    },
  },
];

/** rythm-<slug>-tenant-<yyyymmddThhmmssZ>.<ext>, stamped with the export's UTC time. */
function expectBundleName(name: string, slug: string, extension: string, startedAt: number): void {
  const match = new RegExp(`^rythm-${slug}-tenant-(\\d{4})(\\d{2})(\\d{2})T(\\d{2})(\\d{2})(\\d{2})Z\\.${extension}$`).exec(name);
  expect(match, `file name ${name}`).not.toBeNull();
  const [, y, mo, d, h, mi, s] = match!.map(Number);
  const stamped = Date.UTC(y, mo - 1, d, h, mi, s);
  // UTC, not local time: within a few minutes of the test's own clock.
  expect(Math.abs(stamped - startedAt)).toBeLessThan(5 * 60_000);
}

for (const { format, extension, check } of FORMATS) {
  test(`exporting northside as ${format.toUpperCase()} finishes and downloads rythm-northside-tenant-<UTC>.${extension}`, async ({
    page,
    request,
  }, testInfo) => {
    const startedAt = Date.now();
    await new LoginPage(page).signIn(SYSADMIN);
    const exportPage = new ExportPage(page);
    await exportPage.open();
    await exportPage.chooseTenant('northside');
    await exportPage.chooseFormat(format);
    const jobId = await exportPage.start();
    await exportPage.expectDone();

    const download = await exportPage.download();
    const name = download.suggestedFilename();
    expectBundleName(name, 'northside', extension, startedAt);
    await expect(exportPage.result).toContainText(name);
    const file = await readFile(await download.path());
    await expect(page.getByTestId(`export-recent-row-${jobId}`)).toBeVisible();

    // The API agrees: the job is the northside export in this format, and the file is its file.
    const api = await RythmApi.signIn(request, SYSADMIN);
    const northside = await api.tenant('northside');
    const job = await api.job(jobId);
    expect(job).toMatchObject({ type: 'export', status: 'succeeded', tenantId: northside.id });
    expect(job.params).toMatchObject({ scope: 'tenant', format });
    expect(job.result).toMatchObject({ fileName: name, sizeBytes: file.length, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    check(file, String(job.result!.sha256));
    expect((job.result!.rowCounts as Record<string, number>).sessions).toBe(northside.sessions);

    await saveFinalScreenshot(page, testInfo);
  });
}
