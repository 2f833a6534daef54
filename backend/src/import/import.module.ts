import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AuditModule } from '../audit/audit.module.js';
import { BackupModule } from '../backup/backup.module.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { ImportController } from './import.controller.js';
import { ImportService } from './import.service.js';
import { UndoService } from './undo.service.js';
import { UploadLimitInterceptor } from './upload-limit.interceptor.js';

/**
 * Uploads stream to DATA_DIR/jobs under a name the code makes (never the client's file name),
 * limited to MAX_UPLOAD_MB; the jobs module deletes them when their job expires.
 */
@Module({
  imports: [
    AuditModule,
    JobsModule,
    BackupModule,
    TenantsModule,
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const directory = join(config.dataDir, 'jobs');
        mkdirSync(directory, { recursive: true });
        return {
          // multer names each file with 32 random hex digits: the client's name never reaches the disk.
          dest: directory,
          limits: { fileSize: config.maxUploadMb * 1024 * 1024, files: 1, fields: 16, fieldSize: 1024 },
        };
      },
    }),
  ],
  controllers: [ImportController],
  providers: [ImportService, UndoService, UploadLimitInterceptor],
})
export class ImportModule {}
