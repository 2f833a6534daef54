import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import type { JobStatus, JobType } from '../../shared/api-types.js';

export class ListJobsQuery {
  @IsOptional()
  @IsIn(['export', 'import', 'backup', 'restore'])
  type?: JobType;

  @IsOptional()
  @IsIn(['queued', 'running', 'succeeded', 'failed', 'cancelled'])
  status?: JobStatus;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  page?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  pageSize?: number;
}
