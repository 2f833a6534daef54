import type { ImportSelection } from './import-selection.js';
import type pg from 'pg';
import type { ImportSource } from './trust.js';
import type {
  BundleError,
  BundleManifest,
  ExpectedPlan,
  ExportScope,
  FieldDiff,
  ImportReport,
  ImportStats,
  JobProgress,
  Role,
  TablePlan,
} from '../../shared/api-types.js';
import type { TableSpec } from '../table-graph.js';
import type { SaveChangeSet } from '../change-set/change-set.js';

/**
 * What the engine is asked to do: a checked selection (normaliseImport; without a target tenant,
 * the bundle's own tenant, or an org admin's), by whom (the power rules of trust.ts read the role).
 * Who may import what was decided before, by the caller.
 */
export type ImportEngineRequest = ImportSelection & {
  actor: { role: Role; tenantId: string | null };
  /** Where the bundle comes from: an upload (default), or one of the system's own backups (a restore). */
  source?: ImportSource;
  /** Apply only this plan (a dry run's): when the target changed since, nothing is applied. */
  expectedPlan?: ExpectedPlan | null;
};

/**
 * Takes the pre-import backup of the scope about to change (DESIGN §7). Called inside the import
 * transaction, after validation, while the import holds the tenant lock: it must read on its own
 * connection and must not take the import lock itself.
 */
export type PreImportBackup = (scope: ExportScope, tenantId: string | null) => Promise<{ backupId: string | null }>;

export type RestorePointKind = 'change-set' | 'full' | 'none';

export interface ImportLimits {
  maxDecompressedBytes: number;
  maxCompressionRatio: number;
  lockTimeoutMs: number;
  statementTimeoutMs: number;
  /** How many errors the report lists; the rest are counted. */
  maxErrors: number;
}

export const DEFAULT_LIMITS: ImportLimits = {
  maxDecompressedBytes: 20480 * 1024 * 1024,
  maxCompressionRatio: 200,
  lockTimeoutMs: 10_000,
  statementTimeoutMs: 600_000,
  maxErrors: 200,
};

export interface ImportHooks {
  signal?: AbortSignal;
  onProgress?: (progress: JobProgress) => void;
  /** The full backup, when the restore point is one; a dry run never calls it. */
  preImportBackup?: PreImportBackup;
  /**
   * Which restore point a real import records: its change set (the default of the app), a full
   * backup of the scope, or none (a scratch tenant). Without this hook: a full backup.
   */
  restorePoint?: (scope: ExportScope, tenantId: string | null, written: { clone: boolean }) => Promise<RestorePointKind>;
  /** Stores the change set, inside the import transaction (restorePoint 'change-set'). */
  saveChangeSet?: SaveChangeSet;
  /** The job the import runs as: its change set names it. */
  jobId?: string;
  limits?: Partial<ImportLimits>;
  /** The domain tables in export order: `domainTables(dataSource)`, or `offlineDomainTables()` in scripts. */
  tables: TableSpec[];
  /**
   * Runs inside the import transaction after the writes, before COMMIT, on the import's own
   * connection: what the caller writes there commits or rolls back with the import.
   */
  onApplied?: (client: pg.ClientBase, written: { targetTenantId: string | null; clone: boolean }) => Promise<void>;
}

/** The report without the job fields the caller owns (jobId, status). */
export type EngineReport = Omit<ImportReport, 'jobId' | 'status'>;

export interface ImportOutcome {
  report: EngineReport;
  /** Null when the bundle was valid (and, unless a dry run, applied). */
  failure: { code: 'INVALID_BUNDLE' | 'VALIDATION_FAILED' | 'CONFLICT'; message: string } | null;
  /** Rows read, phase times and how references were checked (row-triggers.ts). */
  stats: ImportStats;
}

export type { BundleError, BundleManifest, FieldDiff, TablePlan };

// The engine's errors live in the leaf module ../errors.ts; re-exported for the readers.
export { BundleRejected, ErrorList, PlanMismatch, reject } from '../errors.js';
