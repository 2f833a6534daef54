import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { literals } from '../../common/literals.js';
import { pageOf } from '../../common/dto/page.dto.js';
import type { JobProgress, JobStatus, JobType, JobView } from '../../shared/api-types.js';
import { sameKeys } from '../../common/dto/same-keys.js';

type JobError = NonNullable<JobView['error']>;

export const JOB_TYPES = literals<JobType>({ export: true, import: true, backup: true, restore: true, undo: true });
export const JOB_STATUSES = literals<JobStatus>({ queued: true, running: true, succeeded: true, failed: true, cancelled: true });

@ApiSchema({ name: 'JobProgress' })
export class JobProgressDto implements JobProgress {
  @ApiProperty({ example: 'copy', description: 'What the job is doing now (queued, starting, the engine’s phases)' })
  phase: string;

  @ApiProperty({ required: false, example: 'sessions' })
  table?: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  rowsDone: number;

  @ApiProperty({ type: 'integer', minimum: 0, required: false })
  rowsTotal?: number;
}
sameKeys<JobProgressDto, JobProgress>(true);

@ApiSchema({ name: 'JobError' })
export class JobErrorDto implements JobError {
  @ApiProperty({ example: 'TENANT_BUSY' })
  code: string;

  @ApiProperty()
  message: string;
}
sameKeys<JobErrorDto, JobError>(true);

@ApiSchema({ name: 'JobView', description: 'A background job (export, import, backup, restore) as its data_jobs row holds it' })
export class JobViewDto implements JobView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: JOB_TYPES })
  type: JobType;

  @ApiProperty({ enum: JOB_STATUSES })
  status: JobStatus;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The tenant the job acts on; null for global and full scope' })
  tenantId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The user who started it; null for scheduled jobs' })
  createdBy: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The request the job runs, as accepted' })
  params: Record<string, unknown>;

  @ApiProperty({ type: JobProgressDto, nullable: true })
  progress: JobProgressDto | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Set when the job succeeded: an export’s file (ExportResult), an import’s ImportReport, a backup’s id',
  })
  result: Record<string, unknown> | null;

  @ApiProperty({ type: JobErrorDto, nullable: true, description: 'Set when the job failed or was cancelled' })
  error: JobErrorDto | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt: string | null;
}
sameKeys<JobViewDto, JobView>(true);

@ApiSchema({ name: 'JobPage', description: 'One page of jobs, newest first' })
export class JobPageDto extends pageOf(JobViewDto) {}
