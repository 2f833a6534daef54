import { HttpClient, HttpContext, HttpParams, type HttpResponse } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  AuditEntry,
  AuditVerifyResult,
  BackupKind,
  BackupSchedule,
  BackupView,
  CreateBackupRequest,
  ExportRequest,
  ImportReport,
  ImportRequest,
  JobStatus,
  JobType,
  JobView,
  LoginRequest,
  LoginResponse,
  Page,
  RestoreRequest,
  TenantSummary,
  UndoImportRequest,
  UndoReport,
  UserView,
} from '@rythm/api-types';
import type { Observable } from 'rxjs';
import { SILENT_ERRORS } from '../http/http-context';

/** Query of GET /api/jobs. */
export interface JobQuery {
  type?: JobType;
  status?: JobStatus;
  page?: number;
  pageSize?: number;
}

/** Query of GET /api/backups. Dates are ISO 8601 instants. */
export interface BackupQuery {
  tenantId?: string;
  kind?: BackupKind;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
  sort?: string;
  order?: 'asc' | 'desc';
}

/** Query of GET /api/audit. Dates are ISO 8601 instants. */
export interface AuditQuery {
  action?: string;
  actor?: string;
  tenantId?: string;
  outcome?: AuditEntry['outcome'];
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

type QueryValue = string | number | boolean | null | undefined;

/** Drops empty values so that the API never sees `tenantId=` or `kind=undefined`. */
export function toParams(query: object): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query) as [string, QueryValue][]) {
    if (value === undefined || value === null || value === '') continue;
    params = params.set(key, String(value));
  }
  return params;
}

const silent = (): HttpContext => new HttpContext().set(SILENT_ERRORS, true);
const id = (value: string): string => encodeURIComponent(value);

/** The REST API of RYTHM Data (relative URLs: the console is served by the API). */
@Injectable({ providedIn: 'root' })
export class ApiClient {
  private readonly http = inject(HttpClient);

  /** Silent: the login page shows the failure inline. */
  login(body: LoginRequest): Observable<LoginResponse> {
    return this.http.post<LoginResponse>('/api/auth/login', body, { context: silent() });
  }

  /** Silent: used to restore a session, where a failure just means "sign in again". */
  me(): Observable<UserView> {
    return this.http.get<UserView>('/api/auth/me', { context: silent() });
  }

  tenants(): Observable<TenantSummary[]> {
    return this.http.get<TenantSummary[]>('/api/tenants');
  }

  startExport(request: ExportRequest): Observable<JobView> {
    return this.http.post<JobView>('/api/exports', request);
  }

  exportDownloadUrl(jobId: string): string {
    return `/api/exports/${id(jobId)}/download`;
  }

  /** Multipart upload: every field travels as a string. */
  startImport(file: File, request: ImportRequest): Observable<JobView> {
    const body = new FormData();
    body.append('scope', request.scope);
    body.append('strategy', request.strategy);
    body.append('dryRun', String(request.dryRun));
    if (request.targetTenantId) body.append('targetTenantId', request.targetTenantId);
    if (request.asNewTenant !== undefined) body.append('asNewTenant', String(request.asNewTenant));
    if (request.newTenantName) body.append('newTenantName', request.newTenantName);
    if (request.newTenantSlug) body.append('newTenantSlug', request.newTenantSlug);
    // Fields first, file last: the server starts the import job while the file still arrives.
    body.append('file', file, file.name);
    return this.http.post<JobView>('/api/imports', body);
  }

  /** Silent when the caller has a better message to show (the failed job's own error). */
  importReport(jobId: string, options: { silent?: boolean } = {}): Observable<ImportReport> {
    return this.http.get<ImportReport>(`/api/imports/${id(jobId)}/report`, {
      context: options.silent ? silent() : undefined,
    });
  }

  /** The full error list of an import as CSV (`table,rowId,label,field,message`), uncapped. */
  importErrorsCsvUrl(jobId: string): string {
    return `/api/imports/${id(jobId)}/errors.csv`;
  }

  /** Applies a dry run's plan, or nothing if the target changed since; `force` applies the plan as it is now. */
  applyImport(dryRunJobId: string, force = false): Observable<JobView> {
    return this.http.post<JobView>(`/api/imports/${id(dryRunJobId)}/apply`, force ? { force: true } : {});
  }

  /** Undoes an applied import, or an applied undo (which redoes the import); a dry run only plans it. */
  undoImport(jobId: string, request: UndoImportRequest): Observable<JobView> {
    return this.http.post<JobView>(`/api/imports/${id(jobId)}/undo`, request);
  }

  /** The report of an undo job (its job's result, read back); silent when the caller has a fallback. */
  undoReport(undoJobId: string, options: { silent?: boolean } = {}): Observable<UndoReport> {
    return this.http.get<UndoReport>(`/api/imports/${id(undoJobId)}/undo-report`, {
      context: options.silent ? silent() : undefined,
    });
  }

  listJobs(query: JobQuery, options: { silent?: boolean } = {}): Observable<Page<JobView>> {
    return this.http.get<Page<JobView>>('/api/jobs', {
      params: toParams(query),
      context: options.silent ? silent() : undefined,
    });
  }

  getJob(jobId: string, options: { silent?: boolean } = {}): Observable<JobView> {
    return this.http.get<JobView>(`/api/jobs/${id(jobId)}`, {
      context: options.silent ? silent() : undefined,
    });
  }

  cancelJob(jobId: string): Observable<JobView> {
    return this.http.post<JobView>(`/api/jobs/${id(jobId)}/cancel`, null);
  }

  jobEventsUrl(jobId: string, token: string): string {
    return `/api/jobs/${id(jobId)}/events?access_token=${encodeURIComponent(token)}`;
  }

  listBackups(query: BackupQuery): Observable<Page<BackupView>> {
    return this.http.get<Page<BackupView>>('/api/backups', { params: toParams(query) });
  }

  /** Silent when the page shows a quieter fallback (a result that names its backup). */
  getBackup(backupId: string, options: { silent?: boolean } = {}): Observable<BackupView> {
    return this.http.get<BackupView>(`/api/backups/${id(backupId)}`, {
      context: options.silent ? silent() : undefined,
    });
  }

  createBackup(request: CreateBackupRequest): Observable<JobView> {
    return this.http.post<JobView>('/api/backups', request);
  }

  restoreBackup(backupId: string, request: RestoreRequest): Observable<JobView> {
    return this.http.post<JobView>(`/api/backups/${id(backupId)}/restore`, request);
  }

  deleteBackup(backupId: string): Observable<unknown> {
    return this.http.delete(`/api/backups/${id(backupId)}`);
  }

  backupDownloadUrl(backupId: string): string {
    return `/api/backups/${id(backupId)}/download`;
  }

  /** Silent: the schedule is secondary information; the page shows "unavailable" instead. */
  backupSchedule(): Observable<BackupSchedule> {
    return this.http.get<BackupSchedule>('/api/backups/schedule', { context: silent() });
  }

  listAudit(query: AuditQuery): Observable<Page<AuditEntry>> {
    return this.http.get<Page<AuditEntry>>('/api/audit', { params: toParams(query) });
  }

  verifyAudit(): Observable<AuditVerifyResult> {
    return this.http.get<AuditVerifyResult>('/api/audit/verify');
  }

  /** A file as a blob, with its headers (for the Content-Disposition file name). */
  downloadBlob(url: string): Observable<HttpResponse<Blob>> {
    return this.http.get(url, { observe: 'response', responseType: 'blob' });
  }
}
