import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Actor } from '../auth/actor.js';
import { AppException } from '../common/app-exception.js';
import type { DataJob } from '../jobs/data-job.entity.js';
import { JobsService } from '../jobs/jobs.service.js';
import { fileSha256 } from './backup-file.js';
import { BackupService } from './backup.service.js';

/**
 * A restore is a replace-import of a backup (DESIGN §7), preceded by a pre-restore backup. The
 * file's sha256 is checked first: a missing or altered backup changes nothing.
 */
@Injectable()
export class RestoreService implements OnApplicationBootstrap {
  constructor(
    private readonly backups: BackupService,
    private readonly jobs: JobsService,
  ) {}

  onApplicationBootstrap(): void {
    this.jobs.registerRunner('restore', async (context) => {
      const { backupId } = context.job.params as { backupId: string; dryRun: boolean };
      const backup = await this.backups.findById(backupId);
      const path = this.backups.filePath(backup);
      if ((await fileSha256(path)) !== backup.sha256) {
        throw new AppException('INVALID_BUNDLE', `Backup ${backup.id} is corrupt: its file no longer matches the sha256 recorded when it was written`);
      }
      throw new AppException('UNAVAILABLE', 'Restore is not available yet');
    });
  }

  async enqueue(actor: Actor, backupId: string, dryRun: boolean): Promise<DataJob> {
    const backup = await this.backups.findVisible(backupId, actor);
    if (backup.scope === 'full' && actor.role !== 'system_admin') throw new AppException('FORBIDDEN', 'Only system admins can restore a full backup');
    // Fail fast on a missing file; the checksum is verified by the job itself (it reads the whole file).
    this.backups.filePath(backup);
    return this.jobs.enqueue({ type: 'restore', actor, tenantId: backup.tenantId, params: { backupId, dryRun } });
  }
}
