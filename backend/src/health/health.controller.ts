import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators.js';
import { SCHEMA_VERSION } from '../database/migrations/index.js';
import type { HealthResponse } from '../shared/api-types.js';
import { APP_VERSION } from '../shared/version.js';
import { HealthResponseDto } from './dto/health-response.dto.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** 200 when the database answers, 503 when it does not (load balancers take the hint). */
  @ApiOperation({ summary: 'Liveness and database readiness', description: 'No token needed: for load balancers and container health checks.', security: [] })
  @ApiOkResponse({ type: HealthResponseDto, description: 'The database answers' })
  @ApiServiceUnavailableResponse({ type: HealthResponseDto, description: 'The database does not answer: `status` is degraded' })
  @Public()
  @Get()
  async health(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    let database: HealthResponse['database'] = 'up';
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      database = 'down';
      response.status(HttpStatus.SERVICE_UNAVAILABLE);
    }
    return { status: database === 'up' ? 'ok' : 'degraded', database, version: APP_VERSION, schemaVersion: SCHEMA_VERSION };
  }
}
