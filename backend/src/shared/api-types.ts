/**
 * Request and response shapes of the REST API, shared by the backend, the Angular console and
 * the CLI (path alias `@rythm/api-types`). Types, and at the end re-exports of the shared patterns
 * and option rules: pure functions without Node or Nest, so any side can import it.
 */

export type Role = 'athlete' | 'coach' | 'org_admin' | 'system_admin';
export type AdminRole = 'org_admin' | 'system_admin';

export interface UserView {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  role: Role;
  tenantId: string | null;
  tenantSlug: string | null;
  /** Set when the caller is an API token rather than a signed-in user (GET /auth/me). */
  apiToken?: { id: string; name: string; expiresAt: string };
}

export interface LoginRequest {
  email: string;
  password: string;
  /**
   * The organisation (tenant slug) of the account. Required when the email has accounts in several
   * organisations (the answer is then 400 TENANT_REQUIRED); sign-in never guesses between them.
   */
  tenant?: string;
}

export interface LoginResponse {
  accessToken: string;
  expiresIn: number;
  user: UserView;
}

/** Every error body: `code` is stable, `message` is for people. */
export interface ApiErrorBody {
  statusCode: number;
  code: string;
  message: string;
  /** For input errors: which field and what was expected. */
  fields?: { field: string; message: string }[];
  /** For bundle validation errors. */
  errors?: BundleError[];
  requestId?: string;
}

export interface HealthResponse {
  status: 'ok' | 'degraded';
  database: 'up' | 'down';
  version: string;
  schemaVersion: string;
}

export interface TenantSummary {
  id: string;
  name: string;
  slug: string;
  users: number;
  sessions: number;
  sets: number;
  /**
   * A scratch tenant (a QA clone): deleted without a backup; its imports take none. The API always
   * sends it and `expiresAt`; optional here so that literals written before them still compile.
   */
  scratch?: boolean;
  /** A scratch tenant's expiry, after which the clean-up job deletes it; null: none. */
  expiresAt?: string | null;
}

/** DELETE /api/tenants/:id (system admins): the tenant's slug or id, typed back. */
export interface DeleteTenantRequest {
  confirm: string;
}

/** What a tenant deletion removed, in one transaction under the tenant lock. */
export interface TenantDeleted {
  tenantId: string;
  slug: string;
  name: string;
  scratch: boolean;
  /** The backup taken first (kind pre-delete); null for a scratch tenant. */
  backupId: string | null;
  /** Rows deleted per RYTHM table. */
  rowsDeleted: Record<string, number>;
  /** Finished jobs of the tenant and their files (exports, uploads), and a scratch tenant's backups. */
  jobsDeleted: number;
  backupsDeleted: number;
  /** API tokens of the tenant, which go with it. */
  apiTokensDeleted: number;
  durationMs: number;
}

/** A user of a tenant as GET /api/tenants/:id/users lists it (never a credential). */
export interface TenantUserView {
  id: string;
  email: string;
  role: Role;
  firstName: string;
  lastName: string;
  /** Has a password, so may sign in. */
  canSignIn: boolean;
}

/** POST /api/tenants/:id/password (system admins): one password for every user of the tenant. */
export interface SetTenantPasswordRequest {
  password: string;
}

export interface SetTenantPasswordResult {
  tenantId: string;
  usersUpdated: number;
}

/** POST /api/api-tokens (system admins, signed in: an API token cannot make or revoke tokens). */
export interface CreateApiTokenRequest {
  /** For people: what the token is for (`ci-nightly`). 1–100 characters. */
  name: string;
  role: AdminRole;
  /** Required for an org_admin token (its one tenant); absent for a system_admin token. */
  tenantId?: string;
  /** 1–365 days; default 90. */
  expiresInDays?: number;
}

export type ApiTokenStatus = 'active' | 'expired' | 'revoked';

/** An API token as listed: never its secret, which only POST /api/api-tokens returns, once. */
export interface ApiTokenView {
  id: string;
  name: string;
  role: AdminRole;
  tenantId: string | null;
  tenantSlug: string | null;
  /** The token's first characters (`rdt_` and four more), to tell tokens apart. */
  hint: string;
  status: ApiTokenStatus;
  createdAt: string;
  createdBy: string | null;
  createdByEmail: string | null;
  lastUsedAt: string | null;
  expiresAt: string;
  revokedAt: string | null;
}

/** The answer to POST /api/api-tokens: the view and, this once, the secret (`rdt_…`). */
export interface ApiTokenCreated extends ApiTokenView {
  token: string;
}

export type ExportScope = 'tenant' | 'global' | 'full';
export type ExportFormat = 'json' | 'sql' | 'csv';

export interface ExportRequest {
  scope: ExportScope;
  tenantId?: string;
  format: ExportFormat;
  compress?: boolean;
  include?: { users?: boolean; sessions?: boolean };
  /** Sessions (and their sets) whose started_at lies in [from, to). ISO 8601. */
  dateRange?: { from?: string; to?: string };
  /** Incremental: only rows with updated_at > this instant. ISO 8601. */
  modifiedSince?: string;
  anonymize?: boolean;
  /** System admins only. */
  includeCredentials?: boolean;
}

export type JobType = 'export' | 'import' | 'backup' | 'restore' | 'undo';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  phase: string;
  table?: string;
  rowsDone: number;
  rowsTotal?: number;
}

export interface JobView {
  id: string;
  type: JobType;
  status: JobStatus;
  tenantId: string | null;
  createdBy: string | null;
  params: Record<string, unknown>;
  progress: JobProgress | null;
  result: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** Result of a finished export job (JobView.result). */
export interface ExportResult {
  fileName: string;
  sizeBytes: number;
  sha256: string;
  rowCounts: Record<string, number>;
  durationMs: number;
}

export type ImportStrategy = 'replace' | 'merge' | 'skip';

/** Multipart fields sent with `file` to POST /api/imports (all strings on the wire). */
export interface ImportRequest {
  scope: ExportScope;
  targetTenantId?: string;
  strategy: ImportStrategy;
  dryRun: boolean;
  asNewTenant?: boolean;
  newTenantName?: string;
  newTenantSlug?: string;
  /**
   * With asNewTenant: give every user of the clone an address of their own by plus-addressing
   * with the new slug, `coach1@gym.example` → `coach1+<slug>@gym.example` (before the last @).
   */
  tagEmails?: boolean;
  /** With asNewTenant: the clone is a scratch tenant (no backups before its imports or its deletion). */
  scratch?: boolean;
  /** With asNewTenant: a scratch tenant that the clean-up job deletes this many seconds after it is made (60 s – 30 days). */
  ttlSeconds?: number;
}

export interface BundleError {
  table: string | null;
  rowId: string | null;
  field: string | null;
  message: string;
}

export interface TablePlan {
  table: string;
  insert: number;
  update: number;
  unchanged: number;
  delete: number;
  skip: number;
}

export interface FieldDiff {
  table: string;
  rowId: string;
  field: string;
  before: unknown;
  after: unknown;
}

export interface BundleManifest {
  format: 'rythm-bundle';
  formatVersion: number;
  schemaVersion: string;
  scope: ExportScope;
  options: Record<string, unknown>;
  createdAt: string;
  source: { app: string; version: string; tenantId?: string; tenantSlug?: string };
  tables: { name: string; columns: string[] }[];
}

export interface ImportReport {
  jobId: string;
  status: JobStatus;
  dryRun: boolean;
  strategy: ImportStrategy;
  manifest: BundleManifest | null;
  valid: boolean;
  errors: BundleError[];
  /** Errors beyond the cap that were counted but not listed. */
  moreErrors: number;
  plan: TablePlan[];
  sampleDiffs: FieldDiff[];
  targetTenantId: string | null;
  /** Set once a real import has applied. */
  backupId: string | null;
  applied: boolean;
  /**
   * What a person recognises next to an id, for the rows named in `errors` and `sampleDiffs`:
   * `rowLabels[table][rowId]`, e.g. a user's "Ada Lovelace <ada@example.com>", a session's date
   * and athlete, a program's name. Rows the engine could not label are absent.
   */
  rowLabels?: Record<string, Record<string, string>>;
  /**
   * What the import writes (or, in a dry run, would write) that changes who may do what: users
   * given a new password hash, and existing users whose role changes. Also in the audit log.
   */
  powerChanges?: PowerChanges;
  /** How the engine ran; absent when the job ended before the engine could report. */
  stats?: ImportStats;
  /**
   * A digest per table of the plan (every row's action and id, and the database row it updates or
   * deletes as the run saw it). A dry run records it; applying the dry run applies that plan or
   * nothing (`planChanges` then says what differs).
   */
  planDigest?: Record<string, string>;
  /** Set when an apply found the target changed since its dry run: the tables whose plan differs. */
  planChanges?: PlanChange[];
  /**
   * The import's restore point: a change set (the pre-image of exactly what it changed, undoable
   * with POST /api/imports/:jobId/undo) or a full backup of the scope (PRE_IMPORT_BACKUP=full).
   * `backupId` names its backups row. Absent for a dry run and for a scratch tenant.
   */
  restorePoint?: 'change-set' | 'full';
  /** The undo job that took this import back, if one did. */
  undoneByJobId?: string | null;
}

/** POST /api/imports/:jobId/undo: undo an applied import (or undo), always as one transaction. */
export interface UndoImportRequest {
  /** Plan and conflicts only; nothing is written. */
  dryRun?: boolean;
  /** Overwrite rows changed since the import (they are reported); rows that block an undo still refuse it. */
  force?: boolean;
}

/** What an undo does to one table: inserted rows it deletes, updated rows it puts back, deleted rows it inserts again. */
export interface UndoTablePlan {
  table: string;
  delete: number;
  restore: number;
  reinsert: number;
}

/**
 * A row that makes an undo unsafe. `changed`, `deleted` and `created` (since the import) are
 * overwritten with force, and listed in `overwritten`; `references` (a row the import did not
 * write points at one it inserted, so deleting it would break the reference) and `power` (the
 * undo would change a role or credential that the actor may not) refuse the undo even with force.
 */
export interface UndoConflict {
  table: string;
  rowId: string;
  reason: 'changed' | 'deleted' | 'created' | 'references' | 'power';
  message: string;
}

/** The result of an undo job (JobView.result) and of GET /api/imports/:jobId/undo-report. */
export interface UndoReport {
  jobId: string;
  status: JobStatus;
  /** The import (or undo) job this one undoes. */
  undoesJobId: string;
  /** The change set it read (backups row of kind pre-import). */
  changeSetId: string;
  tenantId: string | null;
  dryRun: boolean;
  force: boolean;
  plan: UndoTablePlan[];
  /** The first conflicts (the rest are counted in moreConflicts). */
  conflicts: UndoConflict[];
  moreConflicts: number;
  /** Rows changed since the import that a forced undo overwrote (0 without force). */
  overwritten: number;
  applied: boolean;
  /** This undo's own change set: undo it to redo the import. Null for a dry run. */
  backupId: string | null;
  rowLabels?: Record<string, Record<string, string>>;
  durationMs: number;
  /** The undo that took this one back (a redo), if one did. */
  undoneByJobId?: string | null;
}

export interface PlanChange {
  table: string;
  /** The dry run's counts for the table (null: the dry run did not plan it). */
  before: TablePlan | null;
  after: TablePlan;
}

/** POST /api/imports/:jobId/apply */
export interface ApplyImportRequest {
  force?: boolean;
}

/** The plan an apply must find again: the dry run's digest and counts. */
export interface ExpectedPlan {
  digest: Record<string, string>;
  plan: TablePlan[];
}

export interface ImportStats {
  rowsRead: number;
  durationMs: number;
  /** Milliseconds per phase of the pipeline (parse, stage, validate, plan, apply…). */
  phaseMs: Record<string, number>;
  /** How the applied writes' references were checked; null when nothing was applied. */
  referenceChecks: 'set-based' | 'per-row' | null;
  perRowReason: string | null;
}

export interface PowerChanges {
  credentialsWritten: number;
  roleChanges: number;
}

export type BackupKind = 'manual' | 'pre-import' | 'pre-restore' | 'pre-delete' | 'scheduled';

export interface BackupView {
  id: string;
  kind: BackupKind;
  /**
   * `bundle`: a full SQL bundle of the scope (restore it). `change-set`: the pre-image of one
   * import's changes (undo that import: `jobId`).
   */
  content: 'bundle' | 'change-set';
  /** The job that wrote it (the import, for a pre-import backup). */
  jobId: string | null;
  scope: ExportScope;
  tenantId: string | null;
  tenantSlug: string | null;
  fileName: string;
  sizeBytes: number;
  sha256: string;
  rowCounts: Record<string, number>;
  schemaVersion: string;
  createdBy: string | null;
  note: string | null;
  createdAt: string;
}

export interface CreateBackupRequest {
  scope: 'tenant' | 'full';
  tenantId?: string;
  note?: string;
}

export interface RestoreRequest {
  dryRun: boolean;
}

export interface BackupSchedule {
  cron: string;
  retentionDays: number | null;
  retentionCount: number | null;
}

export interface AuditEntry {
  id: string;
  actorId: string | null;
  actorEmail: string | null;
  role: string | null;
  tenantId: string | null;
  action: string;
  params: Record<string, unknown>;
  outcome: 'success' | 'failure' | 'denied';
  clientIp: string | null;
  userAgent: string | null;
  createdAt: string;
}

export interface AuditVerifyResult {
  valid: boolean;
  checked: number;
  firstBrokenId: string | null;
  message: string;
}

export {
  SLUG_PATTERN,
  SLUG_RULE,
  TENANT_NAME_MAX,
  TENANT_NAME_RULE,
  isTenantName,
  UUID_PATTERN,
  UUID_ANY_CASE,
  isUuid,
  canonicalUuid,
  TERMINAL_JOB_STATUSES,
  type TerminalJobStatus,
  isTerminal,
} from './patterns.js';
export { AUDIT_ACTIONS, type AuditAction } from './audit-actions.js';
export { canCompress, carriesCredentials, compresses, credentialsConflict, dateRangeOrdered, scopeNamesTenant } from './export-options.js';
