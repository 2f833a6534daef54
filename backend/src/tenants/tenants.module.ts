import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { BackupModule } from '../backup/backup.module.js';
import { JobsModule } from '../jobs/jobs.module.js';
import { ScratchCleanupService } from './scratch-cleanup.service.js';
import { ScratchTenantsService } from './scratch-tenants.service.js';
import { TenantDeletionService } from './tenant-deletion.service.js';
import { TenantUsersService } from './tenant-users.service.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsService } from './tenants.service.js';

@Module({
  imports: [AuditModule, BackupModule, JobsModule],
  controllers: [TenantsController],
  providers: [TenantsService, TenantDeletionService, TenantUsersService, ScratchTenantsService, ScratchCleanupService],
  exports: [TenantsService, ScratchTenantsService],
})
export class TenantsModule {}
