// The README's example (QA section): a suite of a QA repository on the RYTHM fixture. There it
// imports '@rythm/e2e/fixtures'; here, the same module by its path.
import { expect, RythmClient, test } from '../fixtures/playwright.mjs';

// Each worker loads its own tenant: a scratch clone of the `small` fixture whose users' addresses
// carry the clone's slug and sign in with the QA password. It is deleted when the worker ends
// (and by the clean-up job two hours on, should the worker die first).
test.use({ rythmFixture: 'small', rythmTtl: '2h' });

test('a coach of the worker’s tenant signs in with the QA password', async ({ rythmTenant }) => {
  const coach = rythmTenant.user('coach');
  // Your app's sign-in goes here; RYTHM Data's own sign-in stands in for it.
  const signedIn = await RythmClient.connect({ email: coach.email, password: rythmTenant.password });
  expect(await signedIn.request('GET', '/api/auth/me')).toMatchObject({ role: 'coach', tenantSlug: rythmTenant.slug });
});

test('the org admin sees their organisation, and only it, in the console', async ({ page, rythmTenant }) => {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(rythmTenant.user('org_admin').email);
  await page.getByTestId('login-password').fill(rythmTenant.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('nav-export').click();
  await expect(page.getByTestId('export-tenant')).toContainText(`(${rythmTenant.slug})`);
});

test('a test that changes data puts the tenant back with resetTenant()', async ({ rythm, rythmTenant, resetTenant }) => {
  // What the test changes: every user's password (your app's own writes, in a real suite).
  await rythm.setPassword(rythmTenant.id, 'changed-by-this-test');
  const reset = await resetTenant();
  expect(reset.plan.find((p) => p.table === 'users')).toMatchObject({ update: 6, unchanged: 0 });
  expect(reset.rowsChanged).toBe(6); // only what the test changed
  await RythmClient.connect({ email: rythmTenant.user('athlete').email, password: rythmTenant.password });
});
