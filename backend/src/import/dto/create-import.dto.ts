import { ApiProperty } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUUID, Matches, Max, Min, ValidateBy } from 'class-validator';
import type { ExportScope, ImportRequest, ImportStrategy } from '../../shared/api-types.js';
import { isTenantName, SLUG_PATTERN, SLUG_RULE, TENANT_NAME_RULE } from '../../shared/patterns.js';
import { sameKeys } from '../../common/dto/same-keys.js';
import { SCRATCH_TTL_MAX_SECONDS, SCRATCH_TTL_MIN_SECONDS } from '../../shared/limits.js';

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

  @ApiProperty({
    required: false,
    type: String,
    enum: ['true', 'false'],
    description: 'Clone: give each user an address of their own, `name+<new slug>@domain` (plus-addressing before the last @)',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  tagEmails?: boolean;

  @ApiProperty({
    required: false,
    type: String,
    enum: ['true', 'false'],
    description: 'Clone: a scratch tenant, deleted without a backup; its imports take none',
  })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  scratch?: boolean;

  @ApiProperty({
    required: false,
    minimum: SCRATCH_TTL_MIN_SECONDS,
    maximum: SCRATCH_TTL_MAX_SECONDS,
    description: 'Clone: a scratch tenant that the clean-up job deletes this many seconds after it is made',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(SCRATCH_TTL_MIN_SECONDS)
  @Max(SCRATCH_TTL_MAX_SECONDS)
  ttlSeconds?: number;
}
sameKeys<CreateImportDto, ImportRequest>(true);
