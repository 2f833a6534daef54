import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

export class DownloadExportQuery {
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    default: 'false',
    description:
      'Download while the export is written: the request waits while the job is queued, then streams the file as it grows (local storage) or the finished file (s3), without Content-Length. If the job fails the reply is cut off, never ended: compare the bytes with the job’s result.sizeBytes.',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  follow?: 'true' | 'false';
}
