import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { BackupController } from './backup.controller.js';
import { BackupService } from './backup.service.js';
import { RestoreService } from './restore.service.js';

@Module({
  imports: [JobsModule],
  controllers: [BackupController],
  providers: [BackupService, RestoreService],
  exports: [BackupService],
})
export class BackupModule {}
