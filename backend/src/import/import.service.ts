import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { storedSha256 } from '../backup/backup-file.js';
import { BackupService } from '../backup/backup.service.js';
import { AppException, badRequest, notFound } from '../common/app-exception.js';
import { pgPool } from '../common/pg-pool.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { JobContext, JobOutcome } from '../jobs/job-runner.js';
import type { ImportJobParams, ImportJobResult, Job } from '../jobs/job-types.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { BundleError, ExpectedPlan, ImportReport, ImportRequest, Role } from '../shared/api-types.js';
import { isTerminal } from '../shared/patterns.js';
import { storageSource } from '../storage/storage-source.js';
import { domainTables } from '../transfer/domain-tables.js';
import type { BundleSource } from '../transfer/formats/bundle-source.js';
import { importBundle } from '../transfer/import/import-engine.js';
import type { PreImportBackup } from '../transfer/import/import-types.js';
import { type ImportSelection, normaliseImport, selectionOf } from '../transfer/import/import-selection.js';
import type { ImportSource } from '../transfer/import/trust.js';
import { importAccess } from './import-access.js';
import { CreateImportDto } from './dto/create-import.dto.js';
import { UndoService } from './undo.service.js';
import { ScratchTenantsService } from '../tenants/scratch-tenants.service.js';

/** Errors a job keeps (all of them go to errors.csv), and how many the report lists. */
const STORED_ERRORS = 10_000;
const REPORTED_ERRORS = 200;

/** The part of multer's file that the service uses (the upload is already in storage, storage-upload-engine.ts). */
export interface UploadedBundle {
  /** Its name in the jobs area of storage: made by the code, never the client's. */
  filename: string;
  size: number;
}

/** An import job started while its upload arrives, and the fields it was started on (as sent). */
export interface EarlyImport {
  job: Job<'import'>;
  fields: string;
}

/** How an import or a restore ends (their results are the same report). */
type ImportJobOutcome = Omit<JobOutcome, 'result'> & { result: ImportJobResult };

/** Who started an import: the engine's power rules read the role, the audit row the rest. */
interface ImportActor {
  role: Role;
  tenantId: string | null;
  email?: string;
}

/**
 * Imports as background jobs: access checks, the upload, the job runner around the engine, and
 * the report. The engine (transfer/import) does the work; this class only wires it to the app.
 */
@Injectable()
export class ImportService implements OnModuleInit {
  private readonly logger = new Logger('Import');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly backups: BackupService,
    private readonly audit: AuditService,
    private readonly scratch: ScratchTenantsService,
    private readonly undos: UndoService,
  ) {}

  onModuleInit(): void {
    this.jobs.registerRunner('import', (context) => {
      if (!context.input) {
        throw new AppException(
          'GONE',
          `The uploaded bundle (${context.job.fileName ?? 'no file'}) was not found in storage (${this.jobs.jobFiles.where}): upload it again`,
        );
      }
      const { params } = context;
      return this.run(
        context,
        context.input,
        selectionOf(params),
        { role: params.actorRole, tenantId: params.actorTenantId, email: params.actorEmail },
        'upload',
        params.expectedPlan ?? null,
      );
    });
    this.jobs.registerRunner('restore', (context) => this.restore(context));
  }

  /**
   * A restore is a replace-import of the backup's own file (DESIGN §7), through the same runner
   * as every import, preceded by a pre-restore backup. The file's sha256 is checked first: a
   * missing or altered backup changes nothing.
   */
  private async restore(context: JobContext<'restore'>): Promise<JobOutcome<'restore'>> {
    const { backupId, dryRun, actorRole, actorTenantId } = context.params;
    const backup = await this.backups.findById(backupId);
    const stored = await this.backups.storedFile(backup);
    context.progress({ phase: 'verifying backup', rowsDone: 0 });
    if ((await storedSha256(this.backups.storage, stored.name)) !== backup.sha256) {
      throw new AppException('INVALID_BUNDLE', `Backup ${backup.id} is corrupt: its file no longer matches the sha256 recorded when it was written`);
    }
    const selection = normaliseImport({ scope: backup.scope, targetTenantId: backup.tenantId ?? undefined, strategy: 'replace', dryRun });
    const source = storageSource(this.backups.storage, 'backups', stored.name, stored.size);
    return this.run(context, source, selection, { role: actorRole, tenantId: actorTenantId }, 'backup');
  }

  /**
   * The job of an upload whose form fields all came before the file (as the CLI sends them),
   * started while the file still arrives (docs/import.md "The upload and the job overlap"): the
   * same checks as `create`, on those fields. Null, and the request goes the usual way, when they
   * do not pass: `create` then answers the error.
   */
  async startEarly(actor: Actor, fields: Record<string, unknown>, fileName: string): Promise<EarlyImport | null> {
    const request = plainToInstance(CreateImportDto, fields);
    if ((await validate(request, { whitelist: true, forbidNonWhitelisted: true })).length > 0) return null;
    try {
      const { tenantId, params } = this.decide(actor, request);
      const job = await this.jobs.enqueue({
        type: 'import',
        actor,
        tenantId,
        params,
        fileName,
        beforeQueue: (saved) => this.jobs.jobFiles.uploads.claim(fileName, saved.id),
      });
      return { job, fields: JSON.stringify(fields) };
    } catch {
      return null;
    }
  }

  async create(
    actor: Actor,
    request: ImportRequest,
    file: UploadedBundle | undefined,
    early?: EarlyImport | null,
    fields?: Record<string, unknown>,
  ): Promise<Job<'import'>> {
    if (early && file && early.job.fileName === file.filename) {
      // The job already reads the file; the upload counts as whole only now, and only if no field
      // came after the file (the job started on the fields before it).
      if (early.fields === JSON.stringify(fields)) {
        this.jobs.jobFiles.uploads.confirm(file.filename);
        return ((await this.jobs.reload(early.job.id)) ?? early.job) as Job<'import'>;
      }
      this.jobs.jobFiles.uploads.fail(
        file.filename,
        'The form had fields after the file: this job, started on the fields before it, was replaced by one with all of them. Nothing was imported',
      );
    }
    // Any other job reads the stored file, which is whole now that the route runs.
    if (file) this.jobs.jobFiles.uploads.confirm(file.filename);
    try {
      if (!file) throw badRequest('file', 'a bundle file is required (multipart field "file")');
      const { tenantId, params } = this.decide(actor, request);
      return await this.jobs.enqueue({
        type: 'import',
        actor,
        tenantId,
        params,
        fileName: file.filename,
      });
    } catch (error) {
      // A refused upload leaves nothing behind in storage.
      if (file) await this.jobs.jobFiles.remove(file.filename);
      throw error;
    }
  }

  async report(actor: Actor, jobId: string): Promise<ImportReport> {
    const job = await this.findImport(actor, jobId);
    const full = fullReport(job);
    if (full.applied && full.restorePoint === 'change-set') full.undoneByJobId = await this.undos.undoneBy(job.id);
    // The page lists the first errors; errors.csv has every one the job kept.
    const listed = full.errors.slice(0, REPORTED_ERRORS);
    return { ...full, errors: listed, moreErrors: full.moreErrors + full.errors.length - listed.length };
  }

  /** Every error the job kept, with the row's label, as CSV (the console's "Download all errors"). */
  async errorsCsv(actor: Actor, jobId: string): Promise<string> {
    const report = fullReport(await this.findImport(actor, jobId));
    const labels = report.rowLabels ?? {};
    const lines = ['table,rowId,label,field,message'];
    for (const error of report.errors) lines.push(csvLine(error, labels));
    if (report.moreErrors > 0)
      lines.push(csvLine({ table: null, rowId: null, field: null, message: `${report.moreErrors} more errors were counted but not kept` }, {}));
    return `${lines.join('\r\n')}\r\n`;
  }

  /**
   * Applies exactly the plan the dry run showed: the new job compares its plan with the dry run's
   * digest and applies nothing when the target changed since (CONFLICT, with the new plan), unless
   * `force` says to apply whatever the plan is now.
   */
  async apply(actor: Actor, jobId: string, force = false): Promise<Job<'import'>> {
    const job = await this.findImport(actor, jobId);
    const report = job.result;
    if (!job.params.dryRun) throw new AppException('CONFLICT', `Import job ${job.id} was not a dry run: there is nothing to apply`);
    if (!isTerminal(job.status)) throw new AppException('JOB_NOT_FINISHED', `Dry run ${job.id} is ${job.status}: apply it when it has finished`);
    if (job.status !== 'succeeded' || !report?.valid)
      throw new AppException('CONFLICT', `Dry run ${job.id} did not pass validation: fix the bundle and upload it again`);
    // A restore's dry run has no upload (it reads its backup): there is nothing to apply again.
    if (job.type === 'restore') throw new AppException('CONFLICT', `Job ${job.id} is a restore's dry run: restore the backup again instead`);
    const upload = await this.jobs.storedFile(job, 'upload of dry run', 'upload the bundle again');
    // The same options as the dry run, decided again for whoever applies it.
    const { tenantId, params: next } = this.decide(actor, { ...selectionOf(job.params), dryRun: false });
    const expectedPlan = !force && report.planDigest ? { digest: report.planDigest, plan: report.plan } : undefined;
    return this.jobs.enqueue({
      type: 'import',
      actor,
      tenantId,
      params: { ...next, appliesJobId: job.id, expectedPlan },
      fileName: upload.name,
      reusesFileOf: job.id,
    });
  }

  /**
   * What an import job is given: access decided once (import-access.ts), then the engine's option
   * rules (normaliseImport), which answer now with 400 rather than later as a failed job.
   */
  private decide(actor: Actor, request: ImportRequest): { tenantId: string | null; params: ImportJobParams } {
    const tenantId = importAccess(actor, request);
    const selection = normaliseImport({ ...request, targetTenantId: tenantId ?? request.targetTenantId });
    return { tenantId, params: { ...selection, actorRole: actor.role, actorTenantId: actor.tenantId, actorEmail: actor.email } };
  }

  private async findImport(actor: Actor, jobId: string): Promise<Job<'import' | 'restore'>> {
    const job = await this.jobs.findVisible(jobId, actor);
    // A restore is an import of a backup: its report is read the same way.
    if (job.type !== 'import' && job.type !== 'restore') throw notFound('Import job', jobId);
    return job;
  }

  /** The job runner: the engine on a bundle file, the ImportReport into the job's result. */
  private async run(
    context: JobContext<'import' | 'restore'>,
    input: BundleSource,
    selection: ImportSelection,
    actor: ImportActor,
    source: ImportSource,
    expectedPlan: ExpectedPlan | null = null,
  ): Promise<ImportJobOutcome> {
    const backupKind = source === 'backup' ? 'pre-restore' : 'pre-import';
    const preImportBackup: PreImportBackup = async (scope, tenantId) => {
      // Backups are tenant or full: a global import backs up everything.
      // A scratch tenant (a QA clone) is disposable by declaration: nothing to back up.
      if (scope === 'tenant' && tenantId && (await this.scratch.isScratch(tenantId))) return { backupId: null };
      const backup = await this.backups.createBackup({
        kind: backupKind,
        scope: scope === 'tenant' ? 'tenant' : 'full',
        tenantId: scope === 'tenant' ? tenantId : null,
        createdBy: context.job.createdBy,
        jobId: context.job.id,
        note: `before ${backupKind === 'pre-restore' ? 'restore' : 'import'} job ${context.job.id}`,
        signal: context.signal,
      });
      return { backupId: backup.id };
    };
    const outcome = await importBundle(
      pgPool(this.dataSource),
      input,
      { ...selection, actor: { role: actor.role, tenantId: actor.tenantId }, source, expectedPlan },
      {
        signal: context.signal,
        onProgress: (progress) => context.progress(progress),
        preImportBackup,
        jobId: context.job.id,
        restorePoint: async (scope, tenantId, written) => {
          // A restore keeps its full pre-restore backup: full backups are the disaster-recovery tool.
          if (source === 'backup') return 'full';
          const scratch = written.clone
            ? selection.scratch === true || selection.ttlSeconds !== undefined
            : scope === 'tenant' && !!tenantId && (await this.scratch.isScratch(tenantId));
          if (scratch) return 'none';
          return this.config.preImportBackup;
        },
        saveChangeSet: (client, meta, write) =>
          this.backups.saveChangeSet(
            client,
            { ...meta, jobId: context.job.id, createdBy: context.job.createdBy, note: `change set of import job ${context.job.id}` },
            write,
          ),
        onApplied: async (client, written) => {
          // The scratch mark commits with the clone that makes the tenant, or not at all.
          if (written.clone && written.targetTenantId && (selection.scratch === true || selection.ttlSeconds !== undefined)) {
            await this.scratch.mark(client, written.targetTenantId, {
              ttlSeconds: selection.ttlSeconds ?? null,
              createdBy: context.job.createdBy,
              jobId: context.job.id,
            });
          }
        },
        tables: domainTables(this.dataSource),
        limits: {
          maxDecompressedBytes: this.config.maxDecompressedMb * 1024 * 1024,
          maxCompressionRatio: this.config.maxCompressionRatio,
          lockTimeoutMs: this.config.importLockTimeoutMs,
          statementTimeoutMs: this.config.importStatementTimeoutMs,
          maxErrors: STORED_ERRORS,
        },
      },
    );
    const status = outcome.failure ? 'failed' : 'succeeded';
    const report: ImportReport = { jobId: context.job.id, status, ...outcome.report };
    this.logger.log({
      msg: 'import finished',
      jobId: context.job.id,
      valid: report.valid,
      applied: report.applied,
      dryRun: report.dryRun,
      errors: report.errors.length + report.moreErrors,
      ...outcome.stats,
    });
    await this.recordOutcome(context, actor, source, report, outcome.failure !== null);
    const result: ImportJobResult = { ...report, stats: outcome.stats };
    return outcome.failure ? { result, status: 'failed', error: outcome.failure } : { result };
  }

  /**
   * The outcome the user saw (valid or not, applied or not) and what it changed about power, in
   * the audit log: the request's own row was written when the job was only queued.
   */
  private async recordOutcome(
    context: JobContext<'import' | 'restore'>,
    actor: ImportActor,
    source: ImportSource,
    report: ImportReport,
    failed: boolean,
  ): Promise<void> {
    await this.audit.record({
      action: 'import.result',
      outcome: failed ? 'failure' : 'success',
      actor: { id: context.job.createdBy ?? undefined, email: actor.email, role: actor.role, tenantId: actor.tenantId },
      tenantId: report.targetTenantId ?? context.job.tenantId,
      params: {
        jobId: context.job.id,
        kind: source === 'backup' ? 'restore' : 'import',
        dryRun: report.dryRun,
        strategy: report.strategy,
        valid: report.valid,
        errors: report.errors.length + report.moreErrors,
        applied: report.applied,
        credentialsWritten: report.applied ? (report.powerChanges?.credentialsWritten ?? 0) : 0,
        roleChanges: report.applied ? (report.powerChanges?.roleChanges ?? 0) : 0,
      },
    });
  }
}

/**
 * A finished import's whole report (every error the job kept). An import that failed before the
 * engine could report (busy tenant, cancelled, timeout) says why, in report form.
 */
function fullReport(job: Job<'import' | 'restore'>): ImportReport {
  if (!isTerminal(job.status)) throw new AppException('JOB_NOT_FINISHED', `Import job ${job.id} is ${job.status}: its report is ready when it has finished`);
  if (job.result) return { ...job.result, jobId: job.id, status: job.status };
  return {
    jobId: job.id,
    status: job.status,
    dryRun: job.params.dryRun,
    strategy: job.params.strategy,
    manifest: null,
    valid: false,
    errors: [{ table: null, rowId: null, field: null, message: job.error?.message ?? `The import ${job.status} before it could report` }],
    moreErrors: 0,
    plan: [],
    sampleDiffs: [],
    targetTenantId: job.tenantId,
    backupId: null,
    applied: false,
  };
}

function csvLine(error: BundleError, labels: Record<string, Record<string, string>>): string {
  const label = error.table && error.rowId ? (labels[error.table]?.[error.rowId] ?? '') : '';
  return [error.table, error.rowId, label, error.field, error.message].map(csvCell).join(',');
}

/** RFC 4180, and formula-safe as the CSV bundles are: a cell that a spreadsheet would run gets a leading '. */
function csvCell(value: string | null): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r']/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
