import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Audited, auditTenant } from '../audit/audited.decorator.js';
import type { Actor } from '../auth/actor.js';
import { ApiAdminRoute, ApiErrors } from '../common/api-errors.decorator.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { JobViewDto } from '../jobs/dto/job-view.dto.js';
import { JobsService } from '../jobs/jobs.service.js';
import type { BackupSchedule, BackupView, JobView, Page } from '../shared/api-types.js';
import { DOWNLOAD_HEADERS, PARTIAL_CONTENT_HEADERS, RANGE_HEADER } from '../storage/download-headers.js';
import { storedFileResponse } from '../storage/send-stored-file.js';
import { BackupService } from './backup.service.js';
import { RestoreService } from './restore.service.js';
import { BackupPageDto, BackupScheduleDto, BackupViewDto } from './dto/backup-view.dto.js';
import { CreateBackupDto } from './dto/create-backup.dto.js';
import { ListBackupsQuery } from './dto/list-backups.query.js';
import { RestoreBackupDto } from './dto/restore-backup.dto.js';

const CHECKSUM_HEADER = { 'x-checksum-sha256': { description: 'The sha256 of the file', schema: { type: 'string' } } };
const GZIP_CONTENT = { 'application/gzip': { schema: { type: 'string', format: 'binary' } } };

@ApiTags('backups')
@ApiBearerAuth()
@ApiAdminRoute()
@Controller('backups')
export class BackupController {
  constructor(
    private readonly backups: BackupService,
    private readonly restores: RestoreService,
    private readonly jobs: JobsService,
  ) {}

  @ApiOperation({ summary: 'List backups', description: 'Filtered, sorted and paged. An org admin sees only their own tenant’s backups.' })
  @ApiOkResponse({ type: BackupPageDto, description: 'One page of backups' })
  @ApiErrors({ 400: true, 403: 'The role is neither org_admin nor system_admin, or an org admin names another tenant' })
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListBackupsQuery): Promise<Page<BackupView>> {
    return this.backups.list(actor, query);
  }

  @ApiOperation({ summary: 'Read the backup schedule', description: 'The daily backup’s cron expression and retention (BACKUP_CRON, BACKUP_RETENTION_*).' })
  @ApiOkResponse({ type: BackupScheduleDto, description: 'The schedule' })
  @Get('schedule')
  schedule(): BackupSchedule {
    return this.backups.schedule();
  }

  @ApiOperation({
    summary: 'Start a manual backup',
    description:
      'Queues a backup job of a tenant or (system admins) the whole system. Org admins may hold at most MAX_MANUAL_BACKUPS_PER_TENANT manual backups per tenant. Audited (backup.create).',
  })
  @ApiAcceptedResponse({ type: JobViewDto, description: 'The queued job' })
  @ApiErrors({
    400: 'Bad input, or a tenant backup without tenantId (system admins)',
    403: 'Not an admin; an org admin naming another tenant or asking for a full backup',
    404: 'The tenant does not exist',
    409: 'The tenant already holds the most manual backups an org admin may keep (MAX_MANUAL_BACKUPS_PER_TENANT)',
  })
  @Post()
  @HttpCode(202)
  @Audited('backup.create')
  async create(@CurrentActor() actor: Actor, @Body() body: CreateBackupDto): Promise<JobView> {
    return this.jobs.toView(await this.backups.enqueueManual(actor, body));
  }

  @ApiOperation({ summary: 'Read a backup' })
  @ApiOkResponse({ type: BackupViewDto, description: 'The backup' })
  @ApiErrors({
    400: 'The id is not a UUID',
    403: 'The role is neither org_admin nor system_admin, or the backup belongs to another tenant',
    404: 'No backup has this id',
  })
  @Get(':id')
  async get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<BackupView> {
    return this.backups.view(await this.backups.findVisible(id, actor));
  }

  @ApiOperation({
    summary: 'Download a backup’s file',
    description:
      'System admins only: a backup carries the tenant’s password hashes. Streams from storage through the API; `Range: bytes=…` resumes a large download (206). Audited (backup.download).',
  })
  @ApiOkResponse({
    description: 'The gzipped SQL bundle; it restores with `psql -v ON_ERROR_STOP=1 -f` after gunzip',
    headers: { ...DOWNLOAD_HEADERS, ...CHECKSUM_HEADER },
    content: GZIP_CONTENT,
  })
  @ApiResponse({ status: 206, description: 'The range asked for (Range)', headers: { ...PARTIAL_CONTENT_HEADERS, ...CHECKSUM_HEADER }, content: GZIP_CONTENT })
  @ApiErrors({
    400: 'The id is not a UUID',
    403: 'Not a system admin (org admins list and restore their backups, and export instead of downloading)',
    404: 'No backup has this id',
    410: 'The file is not in storage',
    416: { description: 'The Range lies past the end of the file', headers: RANGE_HEADER },
  })
  @Get(':id/download')
  @Audited('backup.download')
  async download(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<globalThis.Response> {
    const backup = await this.backups.findVisible(id, actor);
    auditTenant(request, backup.tenantId);
    this.backups.assertMayDownload(actor);
    const stored = await this.backups.storedFile(backup);
    return storedFileResponse(this.backups.storage, request, response, {
      area: 'backups',
      name: stored.name,
      stat: stored,
      contentType: 'application/gzip',
      downloadName: backup.fileName,
      headers: { 'x-checksum-sha256': backup.sha256 },
    });
  }

  @ApiOperation({ summary: 'Delete a backup', description: 'Its row and its file. System admins only. Audited (backup.delete).' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({
    400: 'The id is not a UUID',
    403: 'Not a system admin',
    404: 'No backup has this id',
    409: 'A queued or running restore reads this backup',
  })
  @Delete(':id')
  @Roles('system_admin')
  @HttpCode(204)
  @Audited('backup.delete')
  async remove(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Req() request: Request): Promise<void> {
    const removed = await this.backups.remove(id, actor);
    auditTenant(request, removed.tenantId);
  }

  @ApiOperation({
    summary: 'Restore a backup',
    description:
      'Queues a restore job: a replace-import of the backup’s scope, after a pre-restore backup; a dry run reports the plan only. Audited (backup.restore).',
  })
  @ApiAcceptedResponse({ type: JobViewDto, description: 'The queued restore job' })
  @ApiErrors({
    400: 'Bad input or the id is not a UUID',
    403: 'Not an admin; the backup belongs to another tenant, or an org admin restores a full backup',
    404: 'No backup has this id',
    410: 'The backup’s file is not in storage',
  })
  @Post(':id/restore')
  @HttpCode(202)
  @Audited('backup.restore')
  async restore(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string, @Body() body: RestoreBackupDto): Promise<JobView> {
    return this.jobs.toView(await this.restores.enqueue(actor, id, body.dryRun));
  }
}
