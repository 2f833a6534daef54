import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Audited } from '../audit/audited.decorator.js';
import type { Actor } from '../auth/actor.js';
import { ApiAdminRoute, ApiErrors } from '../common/api-errors.decorator.js';
import { CurrentActor } from '../auth/decorators.js';
import { JobViewDto } from '../jobs/dto/job-view.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { ImportReport, JobView, UndoReport } from '../shared/api-types.js';
import { ApplyImportDto } from './dto/apply-import.dto.js';
import { CreateImportDto } from './dto/create-import.dto.js';
import { ImportReportDto } from './dto/import-report.dto.js';
import { ImportUploadDto } from './dto/import-upload.dto.js';
import { ImportService, type UploadedBundle } from './import.service.js';
import { UndoImportDto, UndoReportDto } from './dto/undo-import.dto.js';
import { UndoService } from './undo.service.js';
import { EarlyImportInterceptor, type EarlyImportRequest } from './early-import.interceptor.js';
import { UploadLimitInterceptor } from './upload-limit.interceptor.js';

@ApiTags('imports')
@ApiBearerAuth()
@ApiAdminRoute()
@Controller('imports')
export class ImportController {
  constructor(
    private readonly imports: ImportService,
    private readonly undos: UndoService,
    private readonly jobs: JobsService,
  ) {}

  /** Uploads a bundle and starts an import job (a dry run when dryRun is true). */
  @ApiOperation({
    summary: 'Upload a bundle and start an import',
    description:
      'Queues an import job: a dry run (validate and plan, nothing written) when dryRun is true, else the import itself, after a backup. Send the fields before the file: the job then starts while the file arrives (local storage) and may already be running when this answers. Audited (import.create).',
  })
  @ApiBody({ type: ImportUploadDto })
  @ApiAcceptedResponse({ type: JobViewDto, description: 'The queued job' })
  @ApiErrors({
    400: 'No file, bad fields, or options that do not fit the scope (targetTenantId or asNewTenant outside tenant scope, targetTenantId with asNewTenant)',
    403: 'Not an admin; an org admin naming another tenant, or importing global or full scope or as a new tenant',
    413: 'The upload is larger than MAX_UPLOAD_MB: nothing was imported',
  })
  @Post()
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(UploadLimitInterceptor, EarlyImportInterceptor, FileInterceptor('file'))
  @Audited('import.create')
  async create(
    @CurrentActor() actor: Actor,
    @UploadedFile() file: UploadedBundle | undefined,
    @Body() body: CreateImportDto,
    @Req() request: Request & EarlyImportRequest,
  ): Promise<JobView> {
    const early = await request.earlyImport;
    return this.jobs.toView(await this.imports.create(actor, body, file, early, request.body as Record<string, unknown>));
  }

  /** Validation errors and the plan of a finished import job. */
  @ApiOperation({ summary: 'Read an import’s report', description: 'Validation errors (the first 200) and the plan of a finished import or restore job.' })
  @ApiOkResponse({ type: ImportReportDto, description: 'The report' })
  @ApiErrors({
    400: 'The job id is not a UUID',
    403: 'The role is neither org_admin nor system_admin, or the job belongs to another tenant',
    404: 'No import or restore job has this id',
    409: 'The job has not finished yet',
  })
  @Get(':jobId/report')
  async report(@CurrentActor() actor: Actor, @Param('jobId', ParseUUIDPipe) jobId: string): Promise<ImportReport> {
    return this.imports.report(actor, jobId);
  }

  /** Every error the import found (the report lists the first 200), as CSV with the rows' labels. */
  @ApiOperation({
    summary: 'Download every error of an import as CSV',
    description: 'Columns table, rowId, label, field, message; the report lists only the first errors.',
  })
  @ApiOkResponse({
    description: 'RFC 4180 CSV with a header row',
    headers: { 'content-disposition': { description: 'attachment; filename="import-errors.csv"', schema: { type: 'string' } } },
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  @ApiErrors({
    400: 'The job id is not a UUID',
    403: 'The role is neither org_admin nor system_admin, or the job belongs to another tenant',
    404: 'No import or restore job has this id',
    409: 'The job has not finished yet',
  })
  @Get(':jobId/errors.csv')
  async errorsCsv(@CurrentActor() actor: Actor, @Param('jobId', ParseUUIDPipe) jobId: string, @Res({ passthrough: true }) response: Response): Promise<string> {
    const csv = await this.imports.errorsCsv(actor, jobId);
    // Set only once the CSV exists: a refusal goes out as the usual JSON error body.
    response.setHeader('content-type', 'text/csv; charset=utf-8');
    response.setHeader('content-disposition', 'attachment; filename="import-errors.csv"');
    return csv;
  }

  /** Runs a valid dry run's upload for real, with the same options. */
  @ApiOperation({
    summary: 'Apply a dry run',
    description: 'Runs a valid dry run’s upload for real, with the same options, as a new import job. Audited (import.apply).',
  })
  @ApiAcceptedResponse({ type: JobViewDto, description: 'The queued import job' })
  @ApiErrors({
    400: 'The job id is not a UUID',
    403: 'The role is neither org_admin nor system_admin, or the job belongs to another tenant',
    404: 'No import job has this id',
    409: 'The job was not a dry run (or was a restore’s), has not finished, or did not pass validation',
    410: 'The dry run’s upload has expired (EXPORT_TTL_HOURS) or is not in storage: upload the bundle again',
  })
  @Post(':jobId/apply')
  @HttpCode(202)
  @Audited('import.apply')
  async apply(@CurrentActor() actor: Actor, @Param('jobId', ParseUUIDPipe) jobId: string, @Body() body: ApplyImportDto): Promise<JobView> {
    return this.jobs.toView(await this.imports.apply(actor, jobId, body.force === true));
  }

  /** Undoes an applied import (or an undo) from its change set, as a job; a dry run plans only. */
  @ApiOperation({
    summary: 'Undo an import',
    description:
      'Queues an undo job: the inverse of exactly that import (or undo), from its change set, in one transaction under the tenant lock. It refuses rows changed since the import unless force, and rows that would break references always. dryRun plans only. Audited (import.undo).',
  })
  @ApiAcceptedResponse({ type: JobViewDto, description: 'The queued undo job' })
  @ApiErrors({
    400: 'The job id is not a UUID, or the body is not { dryRun?, force? }',
    403: 'The role is neither org_admin nor system_admin, or the job belongs to another tenant',
    404: 'No import or undo job has this id',
    409: 'The job has not finished, did not change anything (a dry run, or it failed), or was already undone',
    410: 'The job has no change set: it recorded a full backup (PRE_IMPORT_BACKUP=full) or none, or retention removed it',
  })
  @Post(':jobId/undo')
  @HttpCode(202)
  @Audited('import.undo')
  async undo(@CurrentActor() actor: Actor, @Param('jobId', ParseUUIDPipe) jobId: string, @Body() body: UndoImportDto): Promise<JobView> {
    return this.jobs.toView(await this.undos.request(actor, jobId, body));
  }

  /** What an undo job did (or, a dry run, would do). */
  @ApiOperation({ summary: 'Read an undo’s report', description: 'The plan, the conflicts and the outcome of a finished undo job.' })
  @ApiOkResponse({ type: UndoReportDto, description: 'The report' })
  @ApiErrors({
    400: 'The job id is not a UUID',
    403: 'The role is neither org_admin nor system_admin, or the job belongs to another tenant',
    404: 'No undo job has this id',
    409: 'The job has not finished yet',
    410: 'The undo ended before it could report',
  })
  @Get(':jobId/undo-report')
  async undoReport(@CurrentActor() actor: Actor, @Param('jobId', ParseUUIDPipe) jobId: string): Promise<UndoReport> {
    return this.undos.report(actor, jobId);
  }
}
