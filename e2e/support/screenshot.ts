import type { Page, TestInfo } from '@playwright/test';

/**
 * The test's final page as an artifact. The console's shell is one viewport high and scrolls
 * inside mat-sidenav-content, so a plain full-page screenshot would stop at the fold: the window
 * is first made as tall as that content.
 */
export async function saveFinalScreenshot(page: Page, testInfo: TestInfo): Promise<void> {
  const viewport = page.viewportSize() ?? { width: 1280, height: 800 };
  const overflow = await page.evaluate(() => {
    const content = document.querySelector('mat-sidenav-content');
    if (!content) return 0;
    content.scrollTop = 0;
    return content.scrollHeight - content.clientHeight;
  });
  if (overflow > 0) {
    await page.setViewportSize({ width: viewport.width, height: Math.min(viewport.height + overflow, 8000) });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  }
  await page.screenshot({ path: testInfo.outputPath('final.png'), fullPage: true });
}
