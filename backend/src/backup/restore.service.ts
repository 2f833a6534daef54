import { Injectable } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import type { Job } from '../jobs/job-types.js';
import { JobsService } from '../jobs/jobs.service.js';
import { BackupService } from './backup.service.js';

/**
 * Queues restores. The job itself is run by the import module (a restore is a replace-import of
 * the backup, DESIGN §7), so restore and import share one engine path.
 */
@Injectable()
export class RestoreService {
  constructor(
    private readonly backups: BackupService,
    private readonly jobs: JobsService,
  ) {}

  async enqueue(actor: Actor, backupId: string, dryRun: boolean): Promise<Job<'restore'>> {
    const backup = await this.backups.findVisible(backupId, actor);
    if (backup.content === 'change-set')
      throw new AppException(
        'CONFLICT',
        `Backup ${backup.id} is the change set of job ${backup.jobId}: it is not a bundle to restore. Undo that import instead (POST /api/imports/${backup.jobId}/undo, or the Undo button of the job)`,
      );
    if (backup.scope === 'full' && actor.role !== 'system_admin') throw new AppException('FORBIDDEN', 'Only system admins can restore a full backup');
    // Fail fast on a missing file; the checksum is verified by the job itself (it reads the whole file).
    await this.backups.storedFile(backup);
    return this.jobs.enqueue({
      type: 'restore',
      actor,
      tenantId: backup.tenantId,
      // A restore is a replace-import of the backup's scope: its params say so, like an import's.
      params: { backupId, dryRun, scope: backup.scope, strategy: 'replace', actorRole: actor.role, actorTenantId: actor.tenantId },
    });
  }
}
