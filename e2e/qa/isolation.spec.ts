import { expect, RythmClient, test, type TenantSummary } from '../fixtures/playwright.mjs';
import { LoginPage } from '../pages/login.page.js';
import { saveFinalScreenshot } from '../support/screenshot.js';
import { exportTenant, markSessions, notesStartingWith } from './tenant-changes.js';

// The fixture's own tests, 4 workers at once (playwright.fixtures.config.ts): every worker loads its
// own scratch tenant, changes it, and never sees another worker's rows or tenant.

test('the worker’s tenant is a sign-in-ready scratch clone whose users carry its slug', async ({ rythmTenant, rythm }) => {
  expect(rythmTenant.slug).toMatch(/^qa-w\d+-/);
  expect(rythmTenant.scratch).toBe(true);
  expect(Date.parse(rythmTenant.expiresAt ?? '')).toBeGreaterThan(Date.now());
  expect(rythmTenant.users.map((u) => u.role).sort()).toEqual(['athlete', 'athlete', 'athlete', 'athlete', 'coach', 'org_admin']);
  for (const user of rythmTenant.users) expect(user.email).toContain(`+${rythmTenant.slug}@`);
  // Unique addresses: each user signs in without naming the organisation.
  for (const role of ['coach', 'athlete'] as const) {
    const signedIn = await RythmClient.connect({ email: rythmTenant.user(role).email, password: rythmTenant.password });
    const me = (await signedIn.request('GET', '/api/auth/me')) as { role: string; tenantId: string };
    expect(me).toMatchObject({ role, tenantId: rythmTenant.id });
  }
  expect((await rythm.tenant(rythmTenant.id)).sets).toBe(400);
});

test('its org admin sees this tenant and no other, and is refused another tenant', async ({ rythmTenant }) => {
  const orgAdmin = await RythmClient.connect({ email: rythmTenant.user('org_admin').email, password: rythmTenant.password });
  const visible = (await orgAdmin.request('GET', '/api/tenants')) as TenantSummary[];
  expect(visible.map((t) => t.id)).toEqual([rythmTenant.id]);
  const other = await orgAdmin.send('GET', '/api/tenants/00000000-0000-4000-8000-000000000000').catch((error: { status: number }) => error);
  expect((other as { status: number }).status).toBe(403);
});

test('its org admin signs in to the console and sees only this organisation', async ({ page, rythmTenant }, testInfo) => {
  await new LoginPage(page).signIn(rythmTenant.user('org_admin').email, rythmTenant.password);
  await page.getByTestId('nav-export').click();
  await expect(page.getByTestId('export-tenant')).toContainText(`(${rythmTenant.slug})`);
  await saveFinalScreenshot(page, testInfo);
});

for (const round of [1, 2, 3, 4]) {
  test(`a change stays in the worker’s own tenant, and resetTenant() takes back only that change (round ${round})`, async ({
    rythmTenant,
    resetTenant,
  }, testInfo) => {
    const orgAdmin = await RythmClient.connect({ email: rythmTenant.user('org_admin').email, password: rythmTenant.password });
    const marker = `marker ${rythmTenant.slug} ${testInfo.testId}`;
    const changed = await markSessions(orgAdmin, rythmTenant.id, marker);
    expect(changed).toHaveLength(10);
    // The tenant holds this test's marker and no other worker's, and only its own rows.
    const bundle = await exportTenant(orgAdmin, rythmTenant.id);
    const owned = Object.entries(bundle.data).flatMap(([table, rows]) =>
      table === 'tenants' ? [] : rows.filter((r) => 'tenant_id' in r && r.tenant_id !== null),
    );
    expect(owned.length).toBeGreaterThan(400);
    expect(owned.every((r) => r.tenant_id === rythmTenant.id)).toBe(true);
    expect(await notesStartingWith(orgAdmin, rythmTenant.id, 'marker ')).toEqual(Array(10).fill(marker));

    const reset = await resetTenant();
    expect(reset.rowsChanged).toBe(10);
    expect(reset.plan.find((p) => p.table === 'sessions')).toMatchObject({ update: 10, insert: 0, delete: 0 });
    expect(reset.backupId).toBeNull();
    expect(await notesStartingWith(orgAdmin, rythmTenant.id, 'marker ')).toEqual([]);
  });
}

test('a reset with nothing changed writes nothing', async ({ resetTenant }) => {
  const reset = await resetTenant();
  expect(reset.rowsChanged).toBe(0);
});
