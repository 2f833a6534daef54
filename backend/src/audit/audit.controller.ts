import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAdminRoute, ApiErrors } from '../common/api-errors.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/decorators.js';
import type { AuditEntry, AuditVerifyResult, Page } from '../shared/api-types.js';
import { AuditService } from './audit.service.js';
import { AuditPageDto, AuditVerifyResultDto } from './dto/audit-entry.dto.js';
import { ListAuditQuery } from './dto/list-audit.query.js';

@ApiTags('audit')
@ApiBearerAuth()
@ApiAdminRoute()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @ApiOperation({ summary: 'Read the audit log', description: 'Newest first, filtered and paged. An org admin reads only their own tenant’s entries.' })
  @ApiOkResponse({ type: AuditPageDto, description: 'One page of entries' })
  @ApiErrors({ 400: true, 403: 'The role is neither org_admin nor system_admin, or an org admin names another tenant' })
  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListAuditQuery): Promise<Page<AuditEntry>> {
    return this.audit.list(actor, query);
  }

  @ApiOperation({
    summary: 'Verify the audit chain',
    description: 'Recomputes the hash chain from the first row and names the first broken link. An org admin learns only about their own tenant’s rows.',
  })
  @ApiOkResponse({ type: AuditVerifyResultDto, description: 'The result of the check (a broken chain is a 200 too, with valid false)' })
  @Get('verify')
  verify(@CurrentActor() actor: Actor): Promise<AuditVerifyResult> {
    return this.audit.verify(actor);
  }
}
