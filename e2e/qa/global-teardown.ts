import { RythmClient, type TenantSummary } from '../fixtures/client.mjs';

/** Every worker deleted its tenant when it ended: none is left. Then the run's token is revoked. */
export default async function globalTeardown(): Promise<void> {
  const admin = await RythmClient.connect({ email: 'sysadmin@rythm.example', password: 'rythm-demo' });
  const left = ((await admin.request('GET', '/api/tenants')) as TenantSummary[]).filter((t) => t.slug.startsWith('qa-w'));
  if (process.env.RYTHM_QA_TOKEN_ID) await admin.request('DELETE', `/api/api-tokens/${process.env.RYTHM_QA_TOKEN_ID}`);
  if (left.length > 0) throw new Error(`worker teardown left ${left.length} tenant(s) behind: ${left.map((t) => t.slug).join(', ')}`);
}
