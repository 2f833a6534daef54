import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { AuditModule } from '../audit/audit.module.js';
import { BackupModule } from '../backup/backup.module.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { STORAGE, type Storage } from '../storage/storage.js';
import { StorageUploadEngine } from '../storage/storage-upload-engine.js';
import { UploadsInProgress } from '../storage/uploads-in-progress.js';
import { TenantsModule } from '../tenants/tenants.module.js';
import { ImportController } from './import.controller.js';
import { EarlyImportInterceptor } from './early-import.interceptor.js';
import { ImportService } from './import.service.js';
import { UndoService } from './undo.service.js';
import { UploadLimitInterceptor } from './upload-limit.interceptor.js';

/**
 * Uploads stream into storage (the jobs area: DATA_DIR/jobs or the bucket) under a name the code
 * makes (never the client's file name), limited to MAX_UPLOAD_MB; the jobs module deletes them
 * when their job expires.
 */
@Module({
  imports: [
    AuditModule,
    JobsModule,
    BackupModule,
    TenantsModule,
    MulterModule.registerAsync({
      imports: [JobsModule],
      inject: [APP_CONFIG, STORAGE, UploadsInProgress],
      useFactory: (config: AppConfig, storage: Storage, uploads: UploadsInProgress) => {
        return {
          storage: new StorageUploadEngine(storage, uploads),
          limits: { fileSize: config.maxUploadMb * 1024 * 1024, files: 1, fields: 16, fieldSize: 1024 },
        };
      },
    }),
  ],
  controllers: [ImportController],
  providers: [ImportService, UndoService, UploadLimitInterceptor, EarlyImportInterceptor],
})
export class ImportModule {}
