import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import type { RestoreRequest } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

@ApiSchema({ name: 'RestoreRequest' })
export class RestoreBackupDto implements RestoreRequest {
  @ApiProperty({ description: 'true: validate and preview the plan only' })
  @IsBoolean()
  dryRun: boolean;
}
sameKeys<RestoreBackupDto, RestoreRequest>(true);
