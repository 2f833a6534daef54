import { defineConfig } from '@playwright/test';

// The QA fixture's own suite (qa/): 4 workers at once, each on its own scratch tenant loaded
// through the API with an API token (qa/global-setup.ts), against the built product on an
// embedded PostgreSQL of its own. `npm run e2e:fixtures` (after a build), or from here:
// `npx playwright test -c playwright.fixtures.config.ts`.
const PORT = Number(process.env.E2E_QA_PORT ?? 3120);
export const BASE_URL = `http://127.0.0.1:${PORT}`;
// Read by the fixture (fixtures/client.mjs) in the workers, which inherit this environment.
process.env.RYTHM_API = BASE_URL;

export default defineConfig({
  testDir: './qa',
  outputDir: './test-results/qa',
  globalSetup: './qa/global-setup.ts',
  globalTeardown: './qa/global-teardown.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: true,
  workers: 4,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: BASE_URL,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  webServer: {
    command: `rm -rf .data-e2e-qa && node ../backend/dist/main.js`,
    url: `${BASE_URL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(PORT),
      DATA_DIR: '.data-e2e-qa',
      EMBEDDED_PG_PORT: String(Number(process.env.E2E_QA_PG_PORT ?? 54369)),
      CONSOLE_DIR: '../frontend/dist/browser',
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
      SEED_DEMO: 'true',
      // Four workers' imports at once: one job each.
      JOB_CONCURRENCY: '4',
    },
  },
});
