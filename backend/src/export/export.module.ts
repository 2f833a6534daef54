import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module.js';
import { ExportController } from './export.controller.js';
import { ExportService } from './export.service.js';

@Module({
  imports: [JobsModule],
  controllers: [ExportController],
  providers: [ExportService],
})
export class ExportModule {}
