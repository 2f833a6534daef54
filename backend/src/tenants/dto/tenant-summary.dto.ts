import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import type { TenantSummary } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

@ApiSchema({ name: 'TenantSummary', description: 'A tenant and the size of what an export of it moves' })
export class TenantSummaryDto implements TenantSummary {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  name: string;

  @ApiProperty({ example: 'northside' })
  slug: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  users: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  sessions: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  sets: number;

  @ApiProperty({ description: 'A scratch tenant (a QA clone): deleted without a backup, its imports take none' })
  scratch?: boolean;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'When the clean-up job deletes this scratch tenant' })
  expiresAt?: string | null;
}
sameKeys<TenantSummaryDto, TenantSummary>(true);
