import { SCHEMA_VERSION } from '../../database/migrations/index.js';
import { reject } from './import-types.js';

/**
 * Bundles written by an older schema are upgraded in memory before validation (DESIGN §4). When a
 * migration changes a domain table, add a step here keyed by that migration's name: it rewrites
 * the manifest's table list and each row of the tables it touches. Rows arrive as the reader
 * produced them (JSON values, or COPY/CSV text), keyed by column.
 */
export interface UpgradeStep {
  /** The migration after which bundles need this step (its name ends in its timestamp). */
  migration: string;
  description: string;
  tables: (tables: { name: string; columns: string[] }[]) => { name: string; columns: string[] }[];
  row?: (table: string, row: Record<string, unknown>) => Record<string, unknown>;
}

/** Empty today: the first schema version is the only one. */
export const UPGRADE_STEPS: UpgradeStep[] = [];

/** The timestamp suffix of a migration name (`InitialSchema1764300000000` → 1764300000000). */
export function versionTimestamp(name: string): number | null {
  const match = /(\d{13})$/.exec(name);
  return match ? Number(match[1]) : null;
}

/** The steps a bundle of `bundleVersion` needs, in order; throws when it is newer or unreadable. */
export function upgradeStepsFor(bundleVersion: string, current: string = SCHEMA_VERSION, steps: UpgradeStep[] = UPGRADE_STEPS): UpgradeStep[] {
  const bundleTime = versionTimestamp(bundleVersion);
  const currentTime = versionTimestamp(current);
  if (bundleTime === null) {
    throw reject(`manifest.schemaVersion "${bundleVersion.slice(0, 80)}" is not a migration name (it must end in the migration's 13-digit timestamp)`, {
      field: 'manifest.schemaVersion',
    });
  }
  if (currentTime === null) throw new Error(`SCHEMA_VERSION ${current} has no timestamp suffix`);
  if (bundleTime > currentTime) {
    throw reject(`manifest.schemaVersion ${bundleVersion} is newer than this server's schema ${current}: upgrade RYTHM Data first, then import`, {
      field: 'manifest.schemaVersion',
    });
  }
  if (bundleTime === currentTime && bundleVersion !== current) {
    throw reject(`manifest.schemaVersion ${bundleVersion} does not match this server's schema ${current}`, { field: 'manifest.schemaVersion' });
  }
  return steps
    .filter((step) => {
      const time = versionTimestamp(step.migration);
      return time !== null && time > bundleTime && time <= currentTime;
    })
    .sort((a, b) => versionTimestamp(a.migration)! - versionTimestamp(b.migration)!);
}

/** Upgrades the manifest tables, and returns the per-row rewrite (null when no step touches rows). */
export function composeUpgrade(steps: UpgradeStep[], tables: { name: string; columns: string[] }[]) {
  let upgraded = tables;
  for (const step of steps) upgraded = step.tables(upgraded);
  const rowSteps = steps.filter((s) => s.row);
  const row = rowSteps.length === 0 ? null : (table: string, values: Record<string, unknown>) => rowSteps.reduce((acc, step) => step.row!(table, acc), values);
  return { tables: upgraded, row };
}
