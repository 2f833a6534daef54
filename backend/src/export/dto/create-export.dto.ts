import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsISO8601,
  IsOptional,
  IsUUID,
  Validate,
  ValidateNested,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import type { ExportFormat, ExportRequest, ExportScope } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';
import { dateRangeOrdered } from '../../shared/export-options.js';

@ApiSchema({ name: 'ExportInclude' })
export class ExportIncludeDto {
  @ApiProperty({ required: false, default: true, description: 'Users; without them also sessions, sets and program assignments' })
  @IsOptional()
  @IsBoolean()
  users?: boolean;

  @ApiProperty({ required: false, default: true, description: 'Workout history: sessions and their sets' })
  @IsOptional()
  @IsBoolean()
  sessions?: boolean;
}

@ValidatorConstraint({ name: 'isAfterFrom' })
class IsAfterFrom implements ValidatorConstraintInterface {
  validate(to: unknown, args: ValidationArguments): boolean {
    const from = (args.object as ExportDateRangeDto).from;
    if (typeof from !== 'string' || typeof to !== 'string') return true;
    return dateRangeOrdered(from, to);
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} must be after from`;
  }
}

@ApiSchema({ name: 'ExportDateRange' })
export class ExportDateRangeDto {
  @ApiProperty({ required: false, description: 'Sessions started at or after (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiProperty({ required: false, description: 'Sessions started before (ISO 8601), after from' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @Validate(IsAfterFrom)
  to?: string;
}

/** POST /api/exports (DESIGN §9). Who may ask for what is checked in ExportService. */
@ApiSchema({ name: 'ExportRequest' })
export class CreateExportDto implements ExportRequest {
  @ApiProperty({ enum: ['tenant', 'global', 'full'] })
  @IsIn(['tenant', 'global', 'full'])
  scope: ExportScope;

  /** Tenant scope: required for system admins; org admins default to their own tenant. */
  @ApiProperty({ required: false, format: 'uuid' })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiProperty({ enum: ['json', 'sql', 'csv'] })
  @IsIn(['json', 'sql', 'csv'])
  format: ExportFormat;

  @ApiProperty({ required: false, default: false, description: 'gzip for json and sql; csv is always a zip' })
  @IsOptional()
  @IsBoolean()
  compress?: boolean;

  @ApiProperty({ required: false, type: ExportIncludeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExportIncludeDto)
  include?: ExportIncludeDto;

  @ApiProperty({ required: false, type: ExportDateRangeDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => ExportDateRangeDto)
  dateRange?: ExportDateRangeDto;

  @ApiProperty({ required: false, description: 'Incremental: rows with updated_at after this instant (ISO 8601)' })
  @IsOptional()
  @IsISO8601({ strict: true })
  modifiedSince?: string;

  @ApiProperty({ required: false, default: false })
  @IsOptional()
  @IsBoolean()
  anonymize?: boolean;

  @ApiProperty({ required: false, default: false, description: 'System admins only: users.password_hash' })
  @IsOptional()
  @IsBoolean()
  includeCredentials?: boolean;
}
sameKeys<CreateExportDto, ExportRequest>(true);
