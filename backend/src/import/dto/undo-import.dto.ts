import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import type { JobStatus, UndoConflict, UndoImportRequest, UndoReport, UndoTablePlan } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';
import { JOB_STATUSES } from '../../jobs/dto/job-view.dto.js';

@ApiSchema({ name: 'UndoImportRequest' })
export class UndoImportDto implements UndoImportRequest {
  @ApiPropertyOptional({ description: 'true: plan and list conflicts only, write nothing (the console always runs this first)' })
  @IsOptional()
  @IsBoolean()
  dryRun?: boolean;

  @ApiPropertyOptional({
    description:
      'true: overwrite the rows changed since the import (reported in `overwritten`); rows that reference an inserted row, or power changes, still refuse',
  })
  @IsOptional()
  @IsBoolean()
  force?: boolean;
}
sameKeys<UndoImportDto, UndoImportRequest>(true);

@ApiSchema({ name: 'UndoTablePlan' })
export class UndoTablePlanDto implements UndoTablePlan {
  @ApiProperty({ example: 'sessions' })
  table: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows the import inserted, deleted again' })
  delete: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows the import updated, put back as they were' })
  restore: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows the import deleted, inserted again' })
  reinsert: number;
}
sameKeys<UndoTablePlanDto, UndoTablePlan>(true);

@ApiSchema({ name: 'UndoConflict' })
export class UndoConflictDto implements UndoConflict {
  @ApiProperty({ example: 'users' })
  table: string;

  @ApiProperty({ format: 'uuid' })
  rowId: string;

  @ApiProperty({ enum: ['changed', 'deleted', 'created', 'references', 'power'] })
  reason: UndoConflict['reason'];

  @ApiProperty()
  message: string;
}
sameKeys<UndoConflictDto, UndoConflict>(true);

@ApiSchema({ name: 'UndoReport', description: 'What an undo did, or (dry run) would do' })
export class UndoReportDto implements UndoReport {
  @ApiProperty({ format: 'uuid' })
  jobId: string;

  @ApiProperty({ enum: JOB_STATUSES })
  status: JobStatus;

  @ApiProperty({ format: 'uuid', description: 'The import (or undo) job this one undoes' })
  undoesJobId: string;

  @ApiProperty({ format: 'uuid', description: 'The change set read (a backup of kind pre-import)' })
  changeSetId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  tenantId: string | null;

  @ApiProperty()
  dryRun: boolean;

  @ApiProperty()
  force: boolean;

  @ApiProperty({ type: [UndoTablePlanDto] })
  plan: UndoTablePlanDto[];

  @ApiProperty({ type: [UndoConflictDto], description: 'The first conflicts, blocking ones first' })
  conflicts: UndoConflictDto[];

  @ApiProperty({ type: 'integer', minimum: 0 })
  moreConflicts: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Rows changed since the import that the forced undo overwrote' })
  overwritten: number;

  @ApiProperty()
  applied: boolean;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'This undo’s own change set: undo this job to redo the import' })
  backupId: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'object', additionalProperties: { type: 'string' } } })
  rowLabels?: Record<string, Record<string, string>>;

  @ApiProperty({ type: 'integer', minimum: 0 })
  durationMs: number;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'The undo that took this one back (a redo), if one did' })
  undoneByJobId?: string | null;
}
sameKeys<UndoReportDto, UndoReport>(true);
