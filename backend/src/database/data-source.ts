import type { DataSourceOptions } from 'typeorm';
import { ApiToken } from '../api-tokens/api-token.entity.js';
import { AuditLog } from '../audit/audit-log.entity.js';
import { Backup } from '../backup/backup.entity.js';
import { DOMAIN_ENTITIES } from '../domain/index.js';
import { DataJob } from '../jobs/data-job.entity.js';
import { ScratchTenant } from '../tenants/scratch-tenant.entity.js';
import { MIGRATIONS } from './migrations/index.js';

export const PLATFORM_ENTITIES = [DataJob, Backup, AuditLog, ApiToken, ScratchTenant];
export const ALL_ENTITIES = [...DOMAIN_ENTITIES, ...PLATFORM_ENTITIES];

export function dataSourceOptions(url: string): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ALL_ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: false,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension to install.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    // Failed queries surface as exceptions, logged once as JSON by the filter or the job runner.
    logging: false,
    // Every timestamp leaves the database in UTC so bundles are byte-identical across servers.
    extra: { options: '-c TimeZone=UTC', max: 10 },
  };
}
