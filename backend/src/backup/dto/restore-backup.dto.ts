import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';

export class RestoreBackupDto {
  @ApiProperty({ description: 'true: validate and preview the plan only' })
  @IsBoolean()
  dryRun: boolean;
}
