import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createReadStream } from 'node:fs';
import { Audited, auditTenant } from '../audit/audited.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { BackupSchedule, BackupView, JobView, Page } from '../shared/api-types.js';
import { BackupService } from './backup.service.js';
import { RestoreService } from './restore.service.js';
import { CreateBackupDto } from './dto/create-backup.dto.js';
import { ListBackupsQuery } from './dto/list-backups.query.js';
import { RestoreBackupDto } from './dto/restore-backup.dto.js';

@ApiTags('backups')
@ApiBearerAuth()
@Controller('backups')
export class BackupController {
  constructor(
    private readonly backups: BackupService,
    private readonly restores: RestoreService,
    private readonly jobs: JobsService,
  ) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListBackupsQuery): Promise<Page<BackupView>> {
    return this.backups.list(actor, query);
  }

  @Get('schedule')
  schedule(): BackupSchedule {
    return this.backups.schedule();
  }

  @Post()
  @HttpCode(202)
  @Audited('backup.create')
  async create(@CurrentActor() actor: Actor, @Body() body: CreateBackupDto): Promise<JobView> {
    return this.jobs.toView(await this.backups.enqueueManual(actor, body));
  }

  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<BackupView> {
    return this.backups.view(await this.backups.findVisible(id, actor));
  }

  @Get(':id/download')
  @Audited('backup.download')
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<StreamableFile> {
    const backup = await this.backups.findVisible(id, actor);
    auditTenant(request, backup.tenantId);
    this.backups.assertMayDownload(actor);
    const path = this.backups.filePath(backup);
    response.setHeader('content-type', 'application/gzip');
    response.setHeader('content-disposition', `attachment; filename="${backup.fileName}"`);
    response.setHeader('x-checksum-sha256', backup.sha256);
    return new StreamableFile(createReadStream(path));
  }

  @Delete(':id')
  @Roles('system_admin')
  @HttpCode(204)
  @Audited('backup.delete')
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Req() request: Request): Promise<void> {
    const removed = await this.backups.remove(id, actor);
    auditTenant(request, removed.tenantId);
  }

  @Post(':id/restore')
  @HttpCode(202)
  @Audited('backup.restore')
  async restore(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: RestoreBackupDto): Promise<JobView> {
    return this.jobs.toView(await this.restores.enqueue(actor, id, body.dryRun));
  }
}
