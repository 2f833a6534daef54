import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Public } from '../auth/decorators.js';
import { SCHEMA_VERSION } from '../database/migrations/index.js';
import type { HealthResponse } from '../shared/api-types.js';
import { APP_VERSION } from '../shared/version.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** 200 when the database answers, 503 when it does not (load balancers take the hint). */
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
