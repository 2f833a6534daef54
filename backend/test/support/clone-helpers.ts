import { join } from 'node:path';
import type { ImportReport } from '../../src/shared/api-types.js';
import type { TestApp } from './test-app.js';
import { waitForJob } from './wait-for-job.js';

/** The committed QA fixtures (e2e/fixtures): real exporter output, as QA loads them. */
export const QA_FIXTURE = (name: 'small' | 'medium') => join(import.meta.dirname, '..', '..', '..', 'e2e', 'fixtures', `${name}.json`);

export interface CloneOptions {
  slug?: string;
  scratch?: boolean;
  ttlSeconds?: number;
  tagEmails?: boolean;
  dryRun?: boolean;
  file?: string;
}

/** Uploads a fixture as a new tenant through POST /api/imports and waits for the job. */
export async function cloneFixture(t: TestApp, token: string, options: CloneOptions = {}): Promise<{ jobId: string; report: ImportReport; status: number }> {
  const request = t.http.post('/api/imports').set('authorization', `Bearer ${token}`);
  const fields: Record<string, string> = { scope: 'tenant', strategy: 'merge', dryRun: String(options.dryRun ?? false), asNewTenant: 'true' };
  if (options.slug) fields.newTenantSlug = options.slug;
  if (options.scratch !== undefined) fields.scratch = String(options.scratch);
  if (options.ttlSeconds !== undefined) fields.ttlSeconds = String(options.ttlSeconds);
  if (options.tagEmails !== undefined) fields.tagEmails = String(options.tagEmails);
  for (const [key, value] of Object.entries(fields)) request.field(key, value);
  const created = await request.attach('file', options.file ?? QA_FIXTURE('small'));
  if (created.status !== 202) return { jobId: '', report: created.body as ImportReport, status: created.status };
  const job = await waitForJob(t, token, created.body.id as string);
  const report = await t.http.get(`/api/imports/${job.id}/report`).set('authorization', `Bearer ${token}`);
  return { jobId: job.id, report: report.body as ImportReport, status: created.status };
}

/** Every row of every table in the public schema (but the audit log) whose text mentions `id`, by table. */
export async function rowsMentioning(t: TestApp, id: string): Promise<Record<string, number>> {
  const tables: { table_name: string }[] = await t.dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('audit_log', 'migrations') ORDER BY 1`,
  );
  const found: Record<string, number> = {};
  for (const { table_name } of tables) {
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM "${table_name}" x WHERE x::text LIKE '%' || $1 || '%'`, [id]);
    if (n > 0) found[table_name] = n;
  }
  return found;
}

/** md5 of each RYTHM table's rows outside `tenantId` (global rows included), and of the platform rows outside it. */
export async function checksumsOutside(t: TestApp, tenantId: string): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  const where: Record<string, string> = {
    tenants: `x.id <> $1`,
    equipment: `$1 IS NOT NULL`,
    exercises: `x.tenant_id IS DISTINCT FROM $1`,
    exercise_templates: `x.tenant_id IS DISTINCT FROM $1`,
    users: `x.tenant_id IS DISTINCT FROM $1`,
    programs: `x.tenant_id <> $1`,
    workouts: `x.tenant_id <> $1`,
    sessions: `x.tenant_id <> $1`,
    sets: `x.tenant_id <> $1`,
    program_assignments: `x.tenant_id <> $1`,
    api_tokens: `x.tenant_id IS DISTINCT FROM $1`,
    scratch_tenants: `x.tenant_id <> $1`,
  };
  for (const [table, predicate] of Object.entries(where)) {
    const [{ sum, n }] = await t.dataSource.query(
      `SELECT md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS sum, count(*)::int AS n FROM "${table}" x WHERE ${predicate.replaceAll('$1', '$1::uuid')}`,
      [tenantId],
    );
    sums[table] = `${n}:${sum}`;
  }
  return sums;
}
