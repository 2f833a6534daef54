import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAdminRoute, ApiErrors } from '../common/api-errors.decorator.js';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import type { ApiTokenCreated, ApiTokenView } from '../shared/api-types.js';
import { ApiTokensService } from './api-tokens.service.js';
import { ApiTokenCreatedDoc, ApiTokenViewDoc } from './dto/api-token-view.doc.js';
import { CreateApiTokenDto } from './dto/create-api-token.dto.js';

@ApiTags('api-tokens')
@ApiBearerAuth()
@ApiAdminRoute()
@Roles('system_admin')
@Controller('api-tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @Audited('api-token.create')
  @ApiOperation({ summary: 'Make a named API token (system admins, signed in); the secret is in this answer only' })
  @ApiCreatedResponse({ type: ApiTokenCreatedDoc })
  @ApiErrors({ 400: 'A field is missing or malformed (name, role, tenant, expiry)' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateApiTokenDto): Promise<ApiTokenCreated> {
    return this.tokens.create(actor, body);
  }

  @Get()
  @ApiOperation({ summary: 'List API tokens: name, role, tenant, created, last used, expiry, status (never the secret)' })
  @ApiOkResponse({ type: ApiTokenViewDoc, isArray: true })
  list(@CurrentActor() actor: Actor): Promise<ApiTokenView[]> {
    return this.tokens.list(actor);
  }

  @Delete(':id')
  @HttpCode(200)
  @Audited('api-token.revoke')
  @ApiOperation({ summary: 'Revoke an API token: refused from its next request on' })
  @ApiOkResponse({ type: ApiTokenViewDoc })
  @ApiErrors({ 400: 'The token id is not a UUID', 404: 'No token has this id' })
  revoke(@CurrentActor() actor: Actor, @Param('id', ParseUUIDPipe) id: string): Promise<ApiTokenView> {
    return this.tokens.revoke(actor, id);
  }
}
