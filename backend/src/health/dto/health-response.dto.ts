import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { literals } from '../../common/literals.js';
import type { HealthResponse } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

@ApiSchema({ name: 'HealthResponse' })
export class HealthResponseDto implements HealthResponse {
  @ApiProperty({ enum: literals<HealthResponse['status']>({ ok: true, degraded: true }), description: 'degraded (with 503) when the database does not answer' })
  status: HealthResponse['status'];

  @ApiProperty({ enum: literals<HealthResponse['database']>({ up: true, down: true }) })
  database: HealthResponse['database'];

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ description: 'The latest migration: the schemaVersion of every bundle this server writes' })
  schemaVersion: string;
}
sameKeys<HealthResponseDto, HealthResponse>(true);
