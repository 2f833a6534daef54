import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, ValidateBy } from 'class-validator';
import type { ExportScope, ImportRequest, ImportStrategy } from '../../shared/api-types.js';
import { isTenantName, SLUG_PATTERN, SLUG_RULE, TENANT_NAME_RULE } from '../../shared/patterns.js';
import { sameKeys } from '../../common/dto/same-keys.js';

/** Multipart fields are strings: "true"/"false" become booleans, anything else fails validation. */
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** The string fields of POST /api/imports (multipart, with `file`). Access is checked in ImportService. */
export class CreateImportDto implements ImportRequest {
  @ApiProperty({ enum: ['tenant', 'global', 'full'] })
  @IsIn(['tenant', 'global', 'full'])
  scope: ExportScope;

  @ApiProperty({ required: false, format: 'uuid', description: 'Tenant scope: the tenant to write (org admins: their own; default: the bundle tenant)' })
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
  @ValidateBy({
    name: 'isTenantName',
    validator: { validate: (v) => typeof v === 'string' && isTenantName(v), defaultMessage: () => `newTenantName must be ${TENANT_NAME_RULE}` },
  })
  newTenantName?: string;

  @ApiProperty({ required: false, description: 'Slug of the new tenant (clone); default "<slug>-copy[-n]"' })
  @IsOptional()
  @Matches(SLUG_PATTERN, { message: `newTenantSlug must be ${SLUG_RULE}` })
  newTenantSlug?: string;
}
sameKeys<CreateImportDto, ImportRequest>(true);
