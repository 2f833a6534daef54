import { type APIRequestContext, type APIResponse, expect } from '@playwright/test';
import type { AuditEntry, BackupView, ImportReport, ImportRequest, JobView, Page, TenantSummary } from '../../backend/src/shared/api-types.js';
import { DEMO_PASSWORD } from '../pages/login.page.js';

// The REST API as the tests use it: to set data up before a test and to read back what the
// console did. The wire types are the shared ones the backend and console use.

type Job = JobView;
type Backup = BackupView;
type ImportFields = Omit<ImportRequest, 'scope'> & { scope?: ImportRequest['scope'] };

export type { AuditEntry, Backup, ImportReport, Job, Page, TenantSummary };

const TERMINAL = ['succeeded', 'failed', 'cancelled'];

async function json<T>(response: APIResponse, what: string): Promise<T> {
  if (!response.ok()) throw new Error(`${what}: HTTP ${response.status()} ${await response.text()}`);
  return (await response.json()) as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string | number] => e[1] !== undefined);
  return entries.length ? '?' + new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString() : '';
}

/** One signed-in API user. */
export class RythmApi {
  private constructor(
    private readonly request: APIRequestContext,
    readonly token: string,
  ) {}

  static async signIn(request: APIRequestContext, email: string, password = DEMO_PASSWORD): Promise<RythmApi> {
    const response = await request.post('/api/auth/login', { data: { email, password } });
    const body = await json<{ accessToken: string }>(response, `sign-in of ${email}`);
    return new RythmApi(request, body.accessToken);
  }

  private get headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  private async get<T>(path: string): Promise<T> {
    return json<T>(await this.request.get(path, { headers: this.headers }), `GET ${path}`);
  }

  private async post<T>(path: string, data: unknown): Promise<T> {
    return json<T>(await this.request.post(path, { headers: this.headers, data }), `POST ${path}`);
  }

  tenants(): Promise<TenantSummary[]> {
    return this.get('/api/tenants');
  }

  async tenant(slug: string): Promise<TenantSummary> {
    const found = (await this.tenants()).find((t) => t.slug === slug);
    if (!found) throw new Error(`no tenant with slug ${slug}`);
    return found;
  }

  job(id: string): Promise<Job> {
    return this.get(`/api/jobs/${id}`);
  }

  jobs(params: { type?: string; status?: string; pageSize?: number } = {}): Promise<Page<Job>> {
    return this.get(`/api/jobs${query(params)}`);
  }

  /** Follows a job to its end (jobs run in the background; polling, no fixed sleep). */
  async waitForJob(id: string, timeout = 90_000): Promise<Job> {
    let last: Job | undefined;
    await expect
      .poll(
        async () => {
          last = await this.job(id);
          return last.status;
        },
        { message: `job ${id} to finish`, timeout, intervals: [250, 500, 1000] },
      )
      .toMatch(new RegExp(`^(${TERMINAL.join('|')})$`));
    return last!;
  }

  async expectSucceeded(id: string): Promise<Job> {
    const job = await this.waitForJob(id);
    expect(job.status, `job ${id} (${job.type}) failed: ${job.error?.message ?? ''}`).toBe('succeeded');
    return job;
  }

  async exportTenant(tenantId: string, format: 'json' | 'sql' | 'csv' = 'json', extra: Record<string, unknown> = {}): Promise<Job> {
    const job = await this.post<Job>('/api/exports', { scope: 'tenant', tenantId, format, ...extra });
    return this.expectSucceeded(job.id);
  }

  async downloadExport(jobId: string): Promise<Buffer> {
    const response = await this.request.get(`/api/exports/${jobId}/download`, { headers: this.headers });
    if (!response.ok()) throw new Error(`download of ${jobId}: HTTP ${response.status()}`);
    return response.body();
  }

  /** Uploads a bundle and starts an import job (202); does not wait. */
  startImport(file: { name: string; buffer: Buffer }, fields: ImportFields): Promise<Job> {
    const multipart: Record<string, string | { name: string; mimeType: string; buffer: Buffer }> = {
      file: { name: file.name, mimeType: 'application/json', buffer: file.buffer },
      scope: fields.scope ?? 'tenant',
      strategy: fields.strategy,
      dryRun: String(fields.dryRun),
    };
    if (fields.targetTenantId) multipart.targetTenantId = fields.targetTenantId;
    if (fields.asNewTenant !== undefined) multipart.asNewTenant = String(fields.asNewTenant);
    if (fields.newTenantName) multipart.newTenantName = fields.newTenantName;
    if (fields.newTenantSlug) multipart.newTenantSlug = fields.newTenantSlug;
    return this.request.post('/api/imports', { headers: this.headers, multipart }).then((response) => json<Job>(response, 'POST /api/imports'));
  }

  /** Imports a bundle and waits until the job has succeeded; returns its report. */
  async importBundle(file: { name: string; buffer: Buffer }, fields: ImportFields): Promise<ImportReport> {
    const job = await this.startImport(file, fields);
    await this.expectSucceeded(job.id);
    const report = await this.importReport(job.id);
    expect(report.valid, JSON.stringify(report.errors).slice(0, 1000)).toBe(true);
    return report;
  }

  importReport(jobId: string): Promise<ImportReport> {
    return this.get(`/api/imports/${jobId}/report`);
  }

  backups(params: { tenantId?: string; kind?: string; pageSize?: number } = {}): Promise<Page<Backup>> {
    return this.get(`/api/backups${query(params)}`);
  }

  backup(id: string): Promise<Backup> {
    return this.get(`/api/backups/${id}`);
  }

  /** Creates a backup and waits for it; returns the backup's id. */
  async createBackup(tenantId: string, note?: string): Promise<string> {
    const job = await this.post<Job>('/api/backups', { scope: 'tenant', tenantId, note });
    const done = await this.expectSucceeded(job.id);
    return String(done.result?.backupId);
  }

  audit(params: { action?: string; tenantId?: string; actor?: string; pageSize?: number } = {}): Promise<Page<AuditEntry>> {
    return this.get(`/api/audit${query(params)}`);
  }

  auditVerify(): Promise<{ valid: boolean; checked: number; firstBrokenId: string | null }> {
    return this.get('/api/audit/verify');
  }
}

/** Row counts of a tenant as GET /api/tenants reports them. */
export function counts(t: TenantSummary): { users: number; sessions: number; sets: number } {
  return { users: t.users, sessions: t.sessions, sets: t.sets };
}
