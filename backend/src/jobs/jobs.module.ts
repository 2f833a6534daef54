import { Module } from '@nestjs/common';
import { JobExecutor } from './job-executor.js';
import { JobFiles } from './job-files.js';
import { JobJanitor } from './job-janitor.js';
import { JobQueue } from './job-queue.js';
import { JobRepository } from './job.repository.js';
import { JobsController } from './jobs.controller.js';
import { JobsService } from './jobs.service.js';
import { UploadsInProgress } from '../storage/uploads-in-progress.js';

@Module({
  controllers: [JobsController],
  providers: [JobsService, JobRepository, JobQueue, JobExecutor, JobJanitor, JobFiles, UploadsInProgress],
  exports: [JobsService, UploadsInProgress],
})
export class JobsModule {}
