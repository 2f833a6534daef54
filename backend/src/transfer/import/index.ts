/** The import half of the transfer engine: plain TypeScript, no Nest, no HTTP (docs/import.md). */
export { importBundle } from './import-engine.js';
export { normaliseImport, type ImportSelection } from './import-selection.js';
export {
  BundleRejected,
  DEFAULT_LIMITS,
  type EngineReport,
  type ImportEngineRequest,
  type ImportHooks,
  type ImportLimits,
  type ImportOutcome,
  type PreImportBackup,
} from './import-types.js';
export { acquireImportLock, type ImportLock, tenantLockKey } from './tenant-lock.js';
export { UPGRADE_STEPS, type UpgradeStep } from './schema-upgrade.js';
