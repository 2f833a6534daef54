import { createHash } from 'node:crypto';
import type { RythmClient } from '../fixtures/client.mjs';

/** What a test of the RYTHM app would do to its data, done here through the API: a merge import. */
interface Bundle {
  manifest: { tables: { name: string }[] };
  data: Record<string, Record<string, unknown>[]>;
  summary: { rowCounts: Record<string, number>; sha256: string };
}

/** The tenant as its own user sees it: an export (no credentials for an org admin), parsed. */
export async function exportTenant(client: RythmClient, tenantId: string): Promise<Bundle> {
  const job = (await client.request('POST', '/api/exports', { json: { scope: 'tenant', tenantId, format: 'json' } })) as { id: string };
  const done = await client.waitForJob(job.id);
  if (done.status !== 'succeeded') throw new Error(`export of ${tenantId} ${done.status}`);
  const response = await client.send('GET', `/api/exports/${job.id}/download`);
  return JSON.parse(await response.text()) as Bundle;
}

/** Writes `marker` into the notes of the first `count` sessions of the tenant; returns their ids. */
export async function markSessions(client: RythmClient, tenantId: string, marker: string, count = 10): Promise<string[]> {
  const bundle = await exportTenant(client, tenantId);
  const sessions = bundle.data.sessions.slice(0, count);
  for (const session of sessions) session.notes = marker;
  const hash = createHash('sha256');
  for (const { name } of bundle.manifest.tables) for (const row of bundle.data[name] ?? []) hash.update(`${JSON.stringify(row)}\n`);
  bundle.summary.sha256 = hash.digest('hex');
  await client.importBundle(new TextEncoder().encode(JSON.stringify(bundle)), { scope: 'tenant', strategy: 'merge', dryRun: false, targetTenantId: tenantId });
  return sessions.map((s) => String(s.id));
}

/** Every note in the tenant that starts with `prefix`. */
export async function notesStartingWith(client: RythmClient, tenantId: string, prefix: string): Promise<string[]> {
  const bundle = await exportTenant(client, tenantId);
  return bundle.data.sessions.map((s) => s.notes).filter((n): n is string => typeof n === 'string' && n.startsWith(prefix));
}
