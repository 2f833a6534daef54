import { InitialSchema1764300000000 } from './1764300000000-initial-schema.js';
import { SystemAdminNoTenant1764900000000 } from './1764900000000-system-admin-no-tenant.js';
import { ApiTokensAndScratchTenants1765000000000 } from './1765000000000-api-tokens-and-scratch-tenants.js';
import { ChangeSetBackups1765100000000 } from './1765100000000-change-set-backups.js';

/** In order. The last one's name is the schema version written into every bundle. */
export const MIGRATIONS = [
  InitialSchema1764300000000,
  SystemAdminNoTenant1764900000000,
  ApiTokensAndScratchTenants1765000000000,
  ChangeSetBackups1765100000000,
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].name;
