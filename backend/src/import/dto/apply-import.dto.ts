import { ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { ApplyImportRequest } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

@ApiSchema({ name: 'ApplyImportRequest' })
export class ApplyImportDto implements ApplyImportRequest {
  @ApiPropertyOptional({
    description: 'true: apply the plan as it is now even if the target changed since the dry run (default: refuse with CONFLICT and the new plan)',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
sameKeys<ApplyImportDto, ApplyImportRequest>(true);
