import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor.js';
import { assertScopeAllowed, resolveTenantAccess } from '../auth/tenant-scope.js';
import { AppException, notFound } from '../common/app-exception.js';
import { pgPool } from '../common/pg-pool.js';
import { Tenant } from '../domain/tenant.entity.js';
import type { JobContext, JobOutcome } from '../jobs/job-runner.js';
import type { ExportJobResult, Job } from '../jobs/job-types.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { ExportRequest } from '../shared/api-types.js';
import { compresses } from '../shared/export-options.js';
import { isTerminal } from '../shared/patterns.js';
import { followStoredFile } from '../storage/follow-stored-file.js';
import { domainTables } from '../transfer/domain-tables.js';
import { bundleExtension, bundleFileName, exportBundle, normaliseExport } from '../transfer/export/index.js';

export interface ExportDownload {
  /** The stored file (storage's jobs area) and its size and time. */
  stored: { name: string; size: number; modified: Date };
  fileName: string;
  contentType: string;
  bundleSha256: string | null;
  /** The exported tenant (null for global and full exports): the download's audit row names it. */
  tenantId: string | null;
}

/** An export still being written, downloaded as it grows (`?follow=true`): no size or checksum yet. */
export interface GrowingExportDownload {
  body: Readable;
  fileName: string;
  contentType: string;
  tenantId: string | null;
}

/** How often a followed export looks at its job while it waits (as the job events do). */
const FOLLOW_POLL_MS = 100;

/** The stored name of an export's file, made from its job (never from a request). */
function exportDiskName(job: Pick<Job<'export'>, 'id' | 'params'>): string {
  const selection = job.params;
  return `export-${job.id}${bundleExtension(selection.format, compresses(selection))}`;
}

/** The name the user's file gets, at the end of the job and while a download follows it alike. */
function exportFileName(selection: Job<'export'>['params'], tenantSlug: string | undefined, at: Date): string {
  return bundleFileName({ scope: selection.scope, tenantSlug, format: selection.format, compress: compresses(selection), at });
}

function contentTypeOf(fileName: string): string {
  const extension = Object.keys(CONTENT_TYPES).find((e) => fileName.endsWith(e));
  return fileName.endsWith('.gz') ? 'application/gzip' : extension ? CONTENT_TYPES[extension] : 'application/octet-stream';
}

const CONTENT_TYPES: Record<string, string> = { '.json': 'application/json', '.sql': 'application/sql', '.zip': 'application/zip' };

/** Exports as background jobs: checks who may export what, runs the engine, serves the file. */
@Injectable()
export class ExportService implements OnModuleInit {
  private readonly logger = new Logger('Export');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
  ) {}

  onModuleInit(): void {
    this.jobs.registerRunner('export', (context) => this.run(context));
  }

  async create(actor: Actor, request: ExportRequest): Promise<Job<'export'>> {
    const tenantId = await this.checkAccess(actor, request);
    // The engine's own checks (dates, option combinations) answer now with 400, not later as a
    // failed job; the job runs the selection they return.
    const selection = normaliseExport({ ...request, tenantId: tenantId ?? request.tenantId });
    return this.jobs.enqueue({ type: 'export', actor, tenantId, params: selection });
  }

  /** The one access decision (auth/tenant-scope.ts); returns the tenant the export reads, if any. */
  private async checkAccess(actor: Actor, request: ExportRequest): Promise<string | null> {
    assertScopeAllowed(actor, request.scope);
    if (request.includeCredentials && actor.role !== 'system_admin') {
      throw new AppException('FORBIDDEN', 'Only system admins can export credentials');
    }
    if (request.scope !== 'tenant') return null;
    const tenantId = resolveTenantAccess(actor, request.tenantId);
    if (!(await this.dataSource.getRepository(Tenant).exists({ where: { id: tenantId } }))) throw notFound('Tenant', tenantId);
    return tenantId;
  }

  /** The job runner: streams the bundle into storage (the jobs area) under a name made from the job id. */
  private async run(context: JobContext<'export'>): Promise<JobOutcome<'export'>> {
    const request = context.params;
    const diskName = exportDiskName(context.job);
    const output = context.createOutput(diskName);
    const outcome = await exportBundle(pgPool(this.dataSource), request, output.stream, {
      tables: domainTables(this.dataSource),
      signal: context.signal,
      onProgress: (progress) => context.progress(progress),
      // The job's start is the bundle's time, so a download that follows the job knows the file
      // name before the job ends; it precedes the snapshot, so an incremental export from it misses nothing.
      now: context.job.startedAt ?? undefined,
    });
    // s3: the multipart upload completes here; the job succeeds only with the whole file stored.
    await output.done();
    const fileName = exportFileName(request, outcome.tenant?.slug, new Date(outcome.manifest.createdAt));
    const result: ExportJobResult = {
      fileName,
      sizeBytes: outcome.bytes,
      sha256: outcome.summary.sha256,
      bundleSha256: outcome.summary.sha256,
      rowCounts: outcome.summary.rowCounts,
      durationMs: outcome.durationMs,
      scope: request.scope,
      format: request.format,
      tenantSlug: outcome.tenant?.slug ?? null,
    };
    const rows = Object.values(outcome.summary.rowCounts).reduce((a, b) => a + b, 0);
    this.logger.log({
      msg: 'export written',
      jobId: context.job.id,
      scope: request.scope,
      format: request.format,
      rows,
      bytes: outcome.bytes,
      durationMs: outcome.durationMs,
    });
    return { result, fileName: diskName };
  }

  /**
   * 404/403 through the jobs module; 403 to anyone but the export's own creator and system admins;
   * 409 until the export has succeeded; 410 once the file expired or when it is not in storage.
   */
  async download(actor: Actor, jobId: string): Promise<ExportDownload> {
    return this.storedDownload(await this.downloadableJob(actor, jobId));
  }

  /**
   * The download that follows the job (`?follow=true`): it waits while the export is queued, then
   * streams the file as the job writes it (local storage), or the finished file (s3, where an
   * object exists only once its upload completed). The reply is cut, not ended, if the job fails:
   * a client never takes a part for the whole. 409 if the job failed or was cancelled before a byte.
   */
  async follow(actor: Actor, jobId: string, signal: AbortSignal): Promise<ExportDownload | GrowingExportDownload> {
    let job: Job<'export'> | null = await this.downloadableJob(actor, jobId);
    // Who may download was decided above; the wait only reads the job's row again.
    while (!isTerminal(job.status) && !(job.status === 'running' && (await this.jobs.jobFiles.stat(exportDiskName(job))))) {
      try {
        await sleep(FOLLOW_POLL_MS, undefined, { signal });
      } catch (error) {
        if (!signal.aborted) throw error;
        // Nobody reads this answer; the audit row and the log say what happened, not "internal error".
        throw new AppException('JOB_NOT_FINISHED', `Export ${jobId} is still ${job.status}: the download stopped waiting, the client went away`);
      }
      job = (await this.jobs.reload(jobId)) as Job<'export'> | null;
      if (!job) throw notFound('Export', jobId);
    }
    if (isTerminal(job.status)) return this.storedDownload(job);
    const tenant = job.tenantId ? await this.dataSource.getRepository(Tenant).findOne({ where: { id: job.tenantId } }) : null;
    const fileName = exportFileName(job.params, tenant?.slug, job.startedAt ?? new Date());
    const body = followStoredFile(
      this.jobs.jobFiles.storage,
      'jobs',
      exportDiskName(job),
      async () => {
        const now = await this.jobs.reload(jobId);
        if (!now || (isTerminal(now.status) && now.status !== 'succeeded'))
          return { state: 'failed', message: `Export ${jobId} ${now?.status ?? 'was removed'} while it was being downloaded` };
        if (now.status !== 'succeeded') return { state: 'writing' };
        return { state: 'done', size: (now.result as Partial<ExportJobResult> | null)?.sizeBytes ?? -1 };
      },
      { pollMs: FOLLOW_POLL_MS, signal },
    );
    return { body, fileName, contentType: contentTypeOf(fileName), tenantId: job.tenantId };
  }

  /** The checks every download makes: the job is visible, an export, and the caller's (or they are a system admin). */
  private async downloadableJob(actor: Actor, jobId: string): Promise<Job<'export'>> {
    const job = await this.jobs.findVisible(jobId, actor);
    if (job.type !== 'export') throw notFound('Export', jobId);
    // Seeing a tenant is not enough: a system admin's export of it may carry credentials, and a
    // colleague's export is theirs to hand out.
    if (actor.role !== 'system_admin' && job.createdBy !== actor.id) {
      throw new AppException(
        'FORBIDDEN',
        `Export ${jobId} was started by another user: its file downloads only for them and for system admins. Start an export of your own (Export page or \`rythm-data export\`)`,
      );
    }
    return job;
  }

  private async storedDownload(job: Job<'export'>): Promise<ExportDownload> {
    if (job.status !== 'succeeded') {
      throw new AppException(
        'JOB_NOT_FINISHED',
        job.status === 'queued' || job.status === 'running' ? `Export ${job.id} is still ${job.status}` : `Export ${job.id} ${job.status}: there is no file`,
      );
    }
    const stored = await this.jobs.storedFile(job, 'file of export', 'export again');
    const result: Partial<ExportJobResult> = job.result ?? {};
    const fileName = result.fileName ?? job.fileName!;
    return { stored, fileName, contentType: contentTypeOf(fileName), bundleSha256: result.bundleSha256 ?? null, tenantId: job.tenantId };
  }
}
