import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Audited, auditDetails, auditTenant } from '../audit/audited.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import type { SetTenantPasswordResult, TenantDeleted, TenantSummary, TenantUserView } from '../shared/api-types.js';
import { DeleteTenantDto } from './dto/delete-tenant.dto.js';
import { SetTenantPasswordDto } from './dto/set-tenant-password.dto.js';
import { SetTenantPasswordResultDoc, TenantDeletedDoc, TenantUserViewDoc } from './dto/tenant-views.doc.js';
import { TenantDeletionService } from './tenant-deletion.service.js';
import { TenantUsersService } from './tenant-users.service.js';
import { ApiAdminRoute, ApiErrors } from '../common/api-errors.decorator.js';
import { TenantSummaryDto } from './dto/tenant-summary.dto.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('tenants')
@ApiBearerAuth()
@ApiAdminRoute()
@Controller('tenants')
export class TenantsController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly deletion: TenantDeletionService,
    private readonly users: TenantUsersService,
  ) {}

  @ApiOperation({ summary: 'List the exportable tenants', description: 'With their row counts. An org admin sees only their own tenant.' })
  @ApiOkResponse({ type: TenantSummaryDto, isArray: true, description: 'The tenants, by name' })
  @Get()
  list(@CurrentActor() actor: Actor): Promise<TenantSummary[]> {
    return this.tenants.list(actor);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One tenant with its sizes and whether it is scratch (an org admin: their own)' })
  @ApiOkResponse({ type: TenantSummaryDto })
  @ApiErrors({ 400: 'The tenant id is not a UUID', 404: 'No tenant has this id' })
  get(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TenantSummary> {
    return this.tenants.get(actor, id);
  }

  @Get(':id/users')
  @ApiOperation({ summary: "The tenant's users: email, role, name, whether they can sign in (never a credential)" })
  @ApiOkResponse({ type: TenantUserViewDoc, isArray: true })
  @ApiErrors({ 400: 'The tenant id is not a UUID', 404: 'No tenant has this id' })
  listUsers(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<TenantUserView[]> {
    return this.users.list(actor, id);
  }

  @Post(':id/password')
  @Roles('system_admin')
  @HttpCode(200)
  @Audited('tenant.password')
  @ApiOperation({ summary: 'Give every user of the tenant one password (system admins; QA fixtures)' })
  @ApiOkResponse({ type: SetTenantPasswordResultDoc })
  @ApiErrors({
    400: 'The password is too short or too long, or the id is not a UUID',
    404: 'No tenant has this id',
    409: 'The tenant is busy (an import or restore holds its lock)',
  })
  async setPassword(@Param('id', ParseUUIDPipe) id: string, @Body() body: SetTenantPasswordDto, @Req() request: Request): Promise<SetTenantPasswordResult> {
    auditTenant(request, id);
    const result = await this.users.setPassword(id, body.password);
    auditDetails(request, { usersUpdated: result.usersUpdated });
    return result;
  }

  @Delete(':id')
  @Roles('system_admin')
  @HttpCode(200)
  @Audited('tenant.delete')
  @ApiOperation({
    summary: 'Delete a tenant and every row of it, in one transaction under its lock (system admins; the slug or id typed back in `confirm`)',
    description: 'A tenant that is not scratch is backed up first (kind pre-delete); a scratch tenant is not.',
  })
  @ApiOkResponse({ type: TenantDeletedDoc })
  @ApiErrors({
    400: 'The confirmation is not the tenant’s slug or id, or the id is not a UUID',
    404: 'No tenant has this id',
    409: 'The tenant is busy: a job of it is queued or running, or an import holds its lock',
  })
  async remove(
    @CurrentActor() actor: Actor,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DeleteTenantDto,
    @Req() request: Request,
  ): Promise<TenantDeleted> {
    auditTenant(request, id);
    await this.deletion.checkConfirmation(id, body.confirm);
    const deleted = (await this.deletion.delete(id, { createdBy: actor.id }))!;
    auditDetails(request, {
      slug: deleted.slug,
      scratch: deleted.scratch,
      backupId: deleted.backupId,
      rowsDeleted: deleted.rowsDeleted,
      jobsDeleted: deleted.jobsDeleted,
      backupsDeleted: deleted.backupsDeleted,
      apiTokensDeleted: deleted.apiTokensDeleted,
      reason: 'request',
    });
    return deleted;
  }
}
