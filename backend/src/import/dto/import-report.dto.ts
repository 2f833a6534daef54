import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { BundleErrorDto } from '../../common/dto/api-error-body.dto.js';
import { literals } from '../../common/literals.js';
import { JOB_STATUSES } from '../../jobs/dto/job-view.dto.js';
import type {
  BundleManifest,
  ExportScope,
  FieldDiff,
  ImportReport,
  ImportStats,
  ImportStrategy,
  PlanChange,
  JobStatus,
  PowerChanges,
  TablePlan,
} from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

type BundleSource = BundleManifest['source'];
type BundleTable = BundleManifest['tables'][number];

export const SCOPES = literals<ExportScope>({ tenant: true, global: true, full: true });
export const STRATEGIES = literals<ImportStrategy>({ replace: true, merge: true, skip: true });

@ApiSchema({ name: 'BundleSource' })
export class BundleSourceDto implements BundleSource {
  @ApiProperty({ example: 'rythm-data' })
  app: string;

  @ApiProperty({ example: '0.1.0' })
  version: string;

  @ApiProperty({ required: false, description: 'As the bundle says: a bundle is untrusted input' })
  tenantId?: string;

  @ApiProperty({ required: false })
  tenantSlug?: string;
}
sameKeys<BundleSourceDto, BundleSource>(true);

@ApiSchema({ name: 'BundleTable' })
export class BundleTableDto implements BundleTable {
  @ApiProperty({ example: 'users' })
  name: string;

  @ApiProperty({ type: String, isArray: true })
  columns: string[];
}
sameKeys<BundleTableDto, BundleTable>(true);

@ApiSchema({ name: 'BundleManifest', description: 'The manifest a bundle starts with (docs/bundle-format.md)' })
export class BundleManifestDto implements BundleManifest {
  @ApiProperty({ enum: ['rythm-bundle'] })
  format: 'rythm-bundle';

  @ApiProperty({ type: 'integer', example: 1 })
  formatVersion: number;

  @ApiProperty({ description: 'The latest migration of the database the bundle was exported from' })
  schemaVersion: string;

  @ApiProperty({ enum: SCOPES })
  scope: ExportScope;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The export options' })
  options: Record<string, unknown>;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: BundleSourceDto })
  source: BundleSourceDto;

  @ApiProperty({ type: BundleTableDto, isArray: true })
  tables: BundleTableDto[];
}
sameKeys<BundleManifestDto, BundleManifest>(true);

@ApiSchema({ name: 'TablePlan', description: 'What the import does (or, in a dry run, would do) to one table, in rows' })
export class TablePlanDto implements TablePlan {
  @ApiProperty({ example: 'sessions' })
  table: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  insert: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  update: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  unchanged: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  delete: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  skip: number;
}
sameKeys<TablePlanDto, TablePlan>(true);

/** A column's value as the bundle holds it: any JSON value, null included. */
const ANY_VALUE = {
  description: 'Any JSON value',
  anyOf: [{ type: 'string', nullable: true }, { type: 'number' }, { type: 'boolean' }, { type: 'array', items: {} }, { type: 'object' }],
};

@ApiSchema({ name: 'FieldDiff', description: 'One field an update changes' })
export class FieldDiffDto implements FieldDiff {
  @ApiProperty()
  table: string;

  @ApiProperty()
  rowId: string;

  @ApiProperty()
  field: string;

  @ApiProperty(ANY_VALUE)
  before: unknown;

  @ApiProperty(ANY_VALUE)
  after: unknown;
}
sameKeys<FieldDiffDto, FieldDiff>(true);

@ApiSchema({ name: 'PowerChanges', description: 'What the import writes that changes who may do what' })
export class PowerChangesDto implements PowerChanges {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Users given a new password hash' })
  credentialsWritten: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Existing users whose role changes' })
  roleChanges: number;
}
sameKeys<PowerChangesDto, PowerChanges>(true);

@ApiSchema({ name: 'PlanChange', description: 'A table whose plan differs from the dry run’s' })
export class PlanChangeDto implements PlanChange {
  @ApiProperty()
  table: string;

  @ApiProperty({ type: TablePlanDto, nullable: true, description: 'The dry run’s counts (null: the dry run did not plan the table)' })
  before: TablePlanDto | null;

  @ApiProperty({ type: TablePlanDto, description: 'The counts now' })
  after: TablePlanDto;
}
sameKeys<PlanChangeDto, PlanChange>(true);

@ApiSchema({ name: 'ImportStats', description: 'How the engine ran the import' })
export class ImportStatsDto implements ImportStats {
  @ApiProperty({ type: 'integer', minimum: 0 })
  rowsRead: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  durationMs: number;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0 },
    description: 'Milliseconds per phase',
    example: { parse: 12, validate: 30 },
  })
  phaseMs: Record<string, number>;

  @ApiProperty({
    type: String,
    enum: ['set-based', 'per-row'],
    nullable: true,
    description: 'How the applied writes’ references were checked; null when nothing was applied',
  })
  referenceChecks: ImportStats['referenceChecks'];

  @ApiProperty({ type: String, nullable: true, description: 'Why the references were checked row by row' })
  perRowReason: string | null;
}
sameKeys<ImportStatsDto, ImportStats>(true);

@ApiSchema({ name: 'ImportReport', description: 'Validation errors and the plan of a finished import or restore job' })
export class ImportReportDto implements ImportReport {
  @ApiProperty({ format: 'uuid' })
  jobId: string;

  @ApiProperty({ enum: JOB_STATUSES })
  status: JobStatus;

  @ApiProperty()
  dryRun: boolean;

  @ApiProperty({ enum: STRATEGIES })
  strategy: ImportStrategy;

  @ApiProperty({ type: BundleManifestDto, nullable: true, description: 'Null when the bundle could not be read' })
  manifest: BundleManifestDto | null;

  @ApiProperty()
  valid: boolean;

  @ApiProperty({ type: BundleErrorDto, isArray: true, description: 'The first errors (errors.csv has all of them)' })
  errors: BundleErrorDto[];

  @ApiProperty({ type: 'integer', minimum: 0, description: 'Errors counted beyond those listed' })
  moreErrors: number;

  @ApiProperty({ type: TablePlanDto, isArray: true })
  plan: TablePlanDto[];

  @ApiProperty({ type: FieldDiffDto, isArray: true })
  sampleDiffs: FieldDiffDto[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  targetTenantId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The pre-import backup, once a real import has applied' })
  backupId: string | null;

  @ApiProperty()
  applied: boolean;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'object', additionalProperties: { type: 'string' } },
    description: 'rowLabels[table][rowId]: what a person recognises next to an id named in errors and sampleDiffs',
    example: { users: { '6f1c…': 'Ada Lovelace <ada@example.com>' } },
  })
  rowLabels?: Record<string, Record<string, string>>;

  @ApiProperty({ type: PowerChangesDto, required: false })
  powerChanges?: PowerChangesDto;

  @ApiProperty({ type: ImportStatsDto, required: false, description: 'Absent when the job ended before the engine could report' })
  stats?: ImportStatsDto;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Per table, a digest of the plan; a dry run records it and applying the dry run compares it',
  })
  planDigest?: Record<string, string>;

  @ApiProperty({ type: [PlanChangeDto], required: false, description: 'An apply that found the target changed since its dry run: what differs' })
  planChanges?: PlanChangeDto[];

  @ApiPropertyOptional({
    enum: ['change-set', 'full'],
    description: 'The restore point the import wrote (backupId): a change set (undo the import) or a full backup of the scope (PRE_IMPORT_BACKUP=full)',
  })
  restorePoint?: 'change-set' | 'full';

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'The undo job that took this import back, if one did' })
  undoneByJobId?: string | null;
}
sameKeys<ImportReportDto, ImportReport>(true);
