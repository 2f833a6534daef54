import type { BackupKind, ExpectedPlan, ExportFormat, ExportResult, ExportScope, ImportReport, JobType, Role, UndoReport } from '../shared/api-types.js';
import type { ExportSelection } from '../transfer/export/export-selection.js';
import type { ImportSelection } from '../transfer/import/import-selection.js';
import type { ImportOutcome } from '../transfer/import/import-types.js';
import type { DataJob } from './data-job.entity.js';

/**
 * What each type of job is asked (its `params`) and what it answers (its `result`): the contract
 * from the service that queues a job to the runner that runs it. The services store the engine's
 * own checked selections, so what crosses the queue keeps its type; the one cast from jsonb back to
 * these types is JobRepository's. All of them are JSON-safe (they live in jsonb columns).
 */
export interface JobParams {
  export: ExportSelection;
  import: ImportJobParams;
  restore: RestoreJobParams;
  backup: BackupJobParams;
  undo: UndoJobParams;
}

export interface JobResults {
  export: ExportJobResult;
  import: ImportJobResult;
  restore: ImportJobResult;
  backup: BackupJobResult;
  undo: UndoReport;
}

/** Who asked for an import (allowed when it was queued): the engine's power rules read the role. */
export interface ImportJobActor {
  actorRole: Role;
  actorTenantId: string | null;
  actorEmail?: string;
}

/** An import: the checked request plus who asked. */
export type ImportJobParams = ImportSelection &
  ImportJobActor & {
    /** The dry-run job this real run applies (POST /imports/:id/apply). */
    appliesJobId?: string;
    /** That dry run's plan: the apply writes it or nothing (absent with force). */
    expectedPlan?: ExpectedPlan;
  };

/** A restore is a replace-import of a backup's scope: its params say so, like an import's. */
export type RestoreJobParams = Pick<ImportJobActor, 'actorRole' | 'actorTenantId'> & {
  backupId: string;
  dryRun: boolean;
  /** The backup's scope (tenant or full). */
  scope: ExportScope;
  strategy: 'replace';
};

/** An undo of an applied import (or of an undo): its change set, read back in one transaction. */
export type UndoJobParams = ImportJobActor & {
  undoesJobId: string;
  changeSetId: string;
  dryRun: boolean;
  force: boolean;
};

export type BackupJobParams = {
  scope: 'tenant' | 'full';
  tenantId?: string;
  note?: string;
  /** Manual when absent. */
  kind?: BackupKind;
};

/** A finished export: ExportResult plus what the download needs. */
export type ExportJobResult = ExportResult & {
  scope: ExportScope;
  format: ExportFormat;
  tenantSlug: string | null;
  /** The bundle's own hash (summary.sha256), as opposed to a checksum of the file. */
  bundleSha256: string;
};

/** An import's or a restore's report, with the engine's timings. */
export type ImportJobResult = ImportReport & { stats: ImportOutcome['stats'] };

export type BackupJobResult = {
  backupId: string;
  fileName: string;
  sizeBytes: number;
  rowCounts: Record<string, number>;
  pruned: number;
};

/** A `data_jobs` row with the params and result of its type (a union over the types by default). */
export type Job<T extends JobType = JobType> = {
  [K in T]: Omit<DataJob, 'type' | 'params' | 'result'> & { type: K; params: JobParams[K]; result: JobResults[K] | null };
}[T];
