import { RythmClient } from '../fixtures/client.mjs';

/**
 * As a CI pipeline does it: a system admin makes an API token once, and every worker loads its
 * tenant with it (RYTHM_TOKEN, inherited by the workers). Here the demo system admin signs in to
 * make it; a pipeline would keep the token as a secret instead.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.RYTHM_TOKEN) return;
  const admin = await RythmClient.connect({ email: 'sysadmin@rythm.example', password: 'rythm-demo' });
  const created = (await admin.request('POST', '/api/api-tokens', {
    json: { name: `playwright-qa-${Date.now()}`, role: 'system_admin', expiresInDays: 1 },
  })) as {
    id: string;
    token: string;
  };
  process.env.RYTHM_TOKEN = created.token;
  process.env.RYTHM_QA_TOKEN_ID = created.id;
}
