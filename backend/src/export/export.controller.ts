import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createReadStream } from 'node:fs';
import { Audited, auditTenant } from '../audit/audited.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/decorators.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { JobView } from '../shared/api-types.js';
import { CreateExportDto } from './dto/create-export.dto.js';
import { ExportService } from './export.service.js';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportController {
  constructor(
    private readonly exports: ExportService,
    private readonly jobs: JobsService,
  ) {}

  /** Starts an export job; follow it at /api/jobs/:id, then download. */
  @Post()
  @HttpCode(202)
  @Audited('export.create')
  async create(@CurrentActor() actor: Actor, @Body() body: CreateExportDto): Promise<JobView> {
    return this.jobs.toView(await this.exports.create(actor, body));
  }

  @Get(':jobId/download')
  @Audited('export.download')
  async download(
    @CurrentActor() actor: Actor,
    @Param('jobId', ParseUUIDPipe) jobId: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const file = await this.exports.download(actor, jobId);
    auditTenant(request, file.tenantId);
    response.setHeader('content-type', file.contentType);
    response.setHeader('content-disposition', `attachment; filename="${file.fileName}"`);
    if (file.bundleSha256) response.setHeader('x-bundle-sha256', file.bundleSha256);
    return new StreamableFile(createReadStream(file.path));
  }
}
