import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/decorators.js';
import type { AuditEntry, AuditVerifyResult, Page } from '../shared/api-types.js';
import { AuditService } from './audit.service.js';
import { ListAuditQuery } from './dto/list-audit.query.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  list(@CurrentActor() actor: Actor, @Query() query: ListAuditQuery): Promise<Page<AuditEntry>> {
    return this.audit.list(actor, query);
  }

  @Get('verify')
  verify(@CurrentActor() actor: Actor): Promise<AuditVerifyResult> {
    return this.audit.verify(actor);
  }
}
