import { Body, Controller, Get, HttpCode, Inject, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Audited, auditTenant } from '../audit/audited.decorator.js';
import type { Actor } from '../auth/actor.js';
import { ApiAdminRoute, ApiErrors } from '../common/api-errors.decorator.js';
import { CurrentActor } from '../auth/decorators.js';
import { JobViewDto } from '../jobs/dto/job-view.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobView } from '../shared/api-types.js';
import { DOWNLOAD_HEADERS, PARTIAL_CONTENT_HEADERS, RANGE_HEADER } from '../storage/download-headers.js';
import { growingFileResponse, storedFileResponse } from '../storage/send-stored-file.js';
import { STORAGE, type Storage } from '../storage/storage.js';
import { CreateExportDto } from './dto/create-export.dto.js';
import { DownloadExportQuery } from './dto/download-export.query.js';
import { ExportService } from './export.service.js';

/** Aborted when the client goes away: a followed download then stops waiting (and following) at once. */
function closedSignal(response: Response): AbortSignal {
  const gone = new AbortController();
  response.once('close', () => gone.abort(new Error('the client went away')));
  return gone.signal;
}

const EXPORT_HEADERS = {
  'x-bundle-sha256': { description: 'The sha256 of the bundle’s data rows (its summary), when known', schema: { type: 'string' } },
};
const EXPORT_CONTENT = Object.fromEntries(
  ['application/json', 'application/sql', 'application/gzip', 'application/zip'].map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
);

@ApiTags('exports')
@ApiBearerAuth()
@ApiAdminRoute()
@Controller('exports')
export class ExportController {
  constructor(
    private readonly exports: ExportService,
    private readonly jobs: JobsService,
    @Inject(STORAGE) private readonly storage: Storage,
  ) {}

  /** Starts an export job; follow it at /api/jobs/:id, then download. */
  @ApiOperation({
    summary: 'Start an export',
    description: 'Queues an export job; follow it at /api/jobs/{id}, then download its file. Audited (export.create).',
  })
  @ApiAcceptedResponse({ type: JobViewDto, description: 'The queued job' })
  @ApiErrors({
    400: 'Bad input, a tenant scope without tenantId (system admins), or a tenantId with global or full scope',
    403: 'Not an admin; an org admin naming another tenant or asking for global or full scope; credentials asked for by an org admin',
    404: 'The tenant does not exist',
  })
  @Post()
  @HttpCode(202)
  @Audited('export.create')
  async create(@CurrentActor() actor: Actor, @Body() body: CreateExportDto): Promise<JobView> {
    return this.jobs.toView(await this.exports.create(actor, body));
  }

  @ApiOperation({
    summary: 'Download an export’s file',
    description:
      'For the user who started the export and for system admins. Streams from storage through the API; `Range: bytes=…` resumes a large download (206). With `follow=true` it may be asked right after the POST: it waits for the job and streams the file while the job writes it (200 without Content-Length; cut off if the job fails). Audited (export.download).',
  })
  @ApiOkResponse({
    description: 'The bundle as written: JSON, SQL, gzip of either, or a CSV zip',
    headers: { ...DOWNLOAD_HEADERS, ...EXPORT_HEADERS },
    content: EXPORT_CONTENT,
  })
  @ApiResponse({ status: 206, description: 'The range asked for (Range)', headers: { ...PARTIAL_CONTENT_HEADERS, ...EXPORT_HEADERS }, content: EXPORT_CONTENT })
  @ApiErrors({
    400: 'The job id is not a UUID, or follow is neither true nor false',
    403: 'Not an admin, the export belongs to another tenant, or another user started it (only they and system admins download it)',
    404: 'No export job has this id',
    409: 'The export has not succeeded (still queued or running, failed or cancelled); with follow=true, only when it failed or was cancelled',
    410: 'The file has expired (EXPORT_TTL_HOURS) or is not in storage: export again',
    416: { description: 'The Range lies past the end of the file', headers: RANGE_HEADER },
  })
  @Get(':jobId/download')
  @Audited('export.download')
  async download(
    @CurrentActor() actor: Actor,
    @Param('jobId', ParseUUIDPipe) jobId: string,
    @Query() query: DownloadExportQuery,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<globalThis.Response> {
    const file = query.follow === 'true' ? await this.exports.follow(actor, jobId, closedSignal(response)) : await this.exports.download(actor, jobId);
    auditTenant(request, file.tenantId);
    if ('body' in file) return growingFileResponse({ body: file.body, contentType: file.contentType, downloadName: file.fileName });
    return storedFileResponse(this.storage, request, response, {
      area: 'jobs',
      name: file.stored.name,
      stat: file.stored,
      contentType: file.contentType,
      downloadName: file.fileName,
      headers: file.bundleSha256 ? { 'x-bundle-sha256': file.bundleSha256 } : {},
    });
  }
}
