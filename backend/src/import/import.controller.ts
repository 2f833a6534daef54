import { Body, Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/decorators.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { ImportReport, JobView } from '../shared/api-types.js';
import { CreateImportDto } from './dto/create-import.dto.js';
import { ImportService, type UploadedBundle } from './import.service.js';
import { UploadLimitInterceptor } from './upload-limit.interceptor.js';

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportController {
  constructor(
    private readonly imports: ImportService,
    private readonly jobs: JobsService,
  ) {}

  /** Uploads a bundle and starts an import job (a dry run when dryRun is true). */
  @Post()
  @HttpCode(202)
  @ApiConsumes('multipart/form-data')
  @UseInterceptors(UploadLimitInterceptor, FileInterceptor('file'))
  @Audited('import.create')
  async create(@CurrentActor() actor: Actor, @UploadedFile() file: UploadedBundle | undefined, @Body() body: CreateImportDto): Promise<JobView> {
    return this.jobs.toView(await this.imports.create(actor, body, file));
  }

  /** Validation errors and the plan of a finished import job. */
  @Get(':jobId/report')
  async report(@CurrentActor() actor: Actor, @Param('jobId', ParseUUIDPipe) jobId: string): Promise<ImportReport> {
    return this.imports.report(actor, jobId);
  }

  /** Every error the import found (the report lists the first 200), as CSV with the rows' labels. */
  @Get(':jobId/errors.csv')
  @Header('content-type', 'text/csv; charset=utf-8')
  @Header('content-disposition', 'attachment; filename="import-errors.csv"')
  async errorsCsv(@CurrentActor() actor: Actor, @Param('jobId', ParseUUIDPipe) jobId: string): Promise<string> {
    return this.imports.errorsCsv(actor, jobId);
  }

  /** Runs a valid dry run's upload for real, with the same options. */
  @Post(':jobId/apply')
  @HttpCode(202)
  @Audited('import.apply')
  async apply(@CurrentActor() actor: Actor, @Param('jobId', ParseUUIDPipe) jobId: string): Promise<JobView> {
    return this.jobs.toView(await this.imports.apply(actor, jobId));
  }
}
