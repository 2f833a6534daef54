import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength, MinLength } from 'class-validator';
import type { DeleteTenantRequest } from '../../shared/api-types.js';

export class DeleteTenantDto implements DeleteTenantRequest {
  @ApiProperty({ example: 'qa-run-42', description: "The tenant's slug or its id, typed back to confirm" })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  confirm: string;
}
