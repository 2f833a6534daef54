import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiAdminRoute } from '../common/api-errors.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor } from '../auth/decorators.js';
import type { TenantSummary } from '../shared/api-types.js';
import { TenantSummaryDto } from './dto/tenant-summary.dto.js';
import { TenantsService } from './tenants.service.js';

@ApiTags('tenants')
@ApiBearerAuth()
@ApiAdminRoute()
@Controller('tenants')
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @ApiOperation({ summary: 'List the exportable tenants', description: 'With their row counts. An org admin sees only their own tenant.' })
  @ApiOkResponse({ type: TenantSummaryDto, isArray: true, description: 'The tenants, by name' })
  @Get()
  list(@CurrentActor() actor: Actor): Promise<TenantSummary[]> {
    return this.tenants.list(actor);
  }
}
