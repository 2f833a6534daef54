import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ServeStaticModule } from '@nestjs/serve-static';
import { TypeOrmModule } from '@nestjs/typeorm';
import { existsSync } from 'node:fs';
import { ApiTokensModule } from './api-tokens/api-tokens.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BackupModule } from './backup/backup.module.js';
import { AppExceptionFilter } from './common/app-exception.filter.js';
import { APP_CONFIG, type AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { dataSourceOptions } from './database/data-source.js';
import { ExportModule } from './export/export.module.js';
import { HealthModule } from './health/health.module.js';
import { ImportModule } from './import/import.module.js';
import { JobsModule } from './jobs/jobs.module.js';
import { StorageModule } from './storage/storage.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

@Module({})
export class AppModule {
  /** `databaseUrl` is resolved before Nest starts: either DATABASE_URL or the embedded server. */
  static forRoot(config: AppConfig, databaseUrl: string): DynamicModule {
    const serveConsole = existsSync(config.consoleDir) ? [ServeStaticModule.forRoot({ rootPath: config.consoleDir, exclude: ['/api/{*path}'] })] : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot(dataSourceOptions(databaseUrl)),
        StorageModule,
        AuditModule,
        AuthModule,
        HealthModule,
        JobsModule,
        BackupModule,
        ExportModule,
        ImportModule,
        TenantsModule,
        ApiTokensModule,
        ...serveConsole,
      ],
      providers: [{ provide: APP_FILTER, useClass: AppExceptionFilter }],
    };
  }
}

export { APP_CONFIG };
