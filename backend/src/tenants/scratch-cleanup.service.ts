import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { JobsService } from '../jobs/jobs.service.js';
import { ScratchTenantsService } from './scratch-tenants.service.js';
import { TenantDeletionService } from './tenant-deletion.service.js';

const CLEANUP_QUEUE = 'rythm-scratch-cleanup';
/** Tenants one run deletes at most; the next tick takes the rest. */
const BATCH = 200;

/**
 * Deletes expired scratch tenants (QA clones loaded with a time-to-live), once per cluster: pg-boss
 * keeps the schedule in PostgreSQL and sends one job per tick, whichever instances are up, as for
 * the daily backup. Each deletion re-reads the tenant under its lock, so even two runs at once (a
 * tick that outlasts the next) delete a tenant once.
 */
@Injectable()
export class ScratchCleanupService implements OnApplicationBootstrap {
  private readonly logger = new Logger('ScratchCleanup');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly jobs: JobsService,
    private readonly scratch: ScratchTenantsService,
    private readonly deletion: TenantDeletionService,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const boss = this.jobs.queue;
    await boss.createQueue(CLEANUP_QUEUE, { retryLimit: 0 });
    await boss.schedule(CLEANUP_QUEUE, this.config.scratchCleanupCron, {}, { tz: 'UTC' });
    await boss.work(CLEANUP_QUEUE, { batchSize: 1 }, async () => {
      await this.run();
    });
  }

  /** Deletes every scratch tenant whose time is up; returns how many it deleted. */
  async run(): Promise<number> {
    let deleted = 0;
    for (const tenantId of await this.scratch.expired(BATCH)) {
      try {
        const outcome = await this.deletion.delete(tenantId, { createdBy: null, onlyIfExpired: true });
        if (!outcome) continue;
        deleted++;
        await this.audit.record({
          action: 'tenant.delete',
          outcome: 'success',
          actor: null,
          tenantId,
          params: {
            reason: 'expired',
            slug: outcome.slug,
            scratch: true,
            rowsDeleted: outcome.rowsDeleted,
            jobsDeleted: outcome.jobsDeleted,
            backupsDeleted: outcome.backupsDeleted,
            apiTokensDeleted: outcome.apiTokensDeleted,
          },
        });
      } catch (error) {
        // A busy tenant (an import, a running job) is tried again at the next tick.
        this.logger.warn({ msg: 'expired scratch tenant not deleted yet', tenantId, error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (deleted > 0) this.logger.log({ msg: 'expired scratch tenants deleted', count: deleted });
    return deleted;
  }
}
