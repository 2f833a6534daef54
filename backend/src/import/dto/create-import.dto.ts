import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import type { ExportScope, ImportRequest, ImportStrategy } from '../../shared/api-types.js';

/** Multipart fields are strings: "true"/"false" become booleans, anything else fails validation. */
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** The string fields of POST /api/imports (multipart, with `file`). Access is checked in ImportService. */
export class CreateImportDto implements ImportRequest {
  @ApiProperty({ enum: ['tenant', 'global', 'full'] })
  @IsIn(['tenant', 'global', 'full'])
  scope: ExportScope;

  @ApiProperty({ required: false, description: 'Tenant scope: the tenant to write (org admins: their own; default: the bundle tenant)' })
  @IsOptional()
  @IsUUID()
  targetTenantId?: string;

  @ApiProperty({ enum: ['replace', 'merge', 'skip'] })
  @IsIn(['replace', 'merge', 'skip'])
  strategy: ImportStrategy;

  @ApiProperty({ type: String, enum: ['true', 'false'], description: 'Validate and plan only; nothing is written' })
  @Transform(toBoolean)
  @IsBoolean()
  dryRun: boolean;

  @ApiProperty({ required: false, type: String, enum: ['true', 'false'], description: 'Clone: new ids, new tenant (system admins)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  asNewTenant?: boolean;

  @ApiProperty({ required: false, description: 'Name of the new tenant (clone); default "<name> (copy)"' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  newTenantName?: string;

  @ApiProperty({ required: false, description: 'Slug of the new tenant (clone); default "<slug>-copy[-n]"' })
  @IsOptional()
  @Matches(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { message: 'newTenantSlug must be lower-case letters, digits and hyphens (1-64 characters)' })
  newTenantSlug?: string;
}
