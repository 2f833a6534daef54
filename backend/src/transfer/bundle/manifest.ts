import { SCHEMA_VERSION } from '../../database/migrations/index.js';
import type { BundleManifest, ExportScope } from '../../shared/api-types.js';
import { APP_NAME, APP_VERSION } from '../../shared/version.js';

/** docs/bundle-format.md "Logical content". */
export const BUNDLE_FORMAT = 'rythm-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

export interface BundleSummary {
  /** Every manifest table, in manifest order. */
  rowCounts: Record<string, number>;
  sha256: string;
}

export interface ManifestInput {
  scope: ExportScope;
  options: Record<string, unknown>;
  tables: { name: string; columns: string[] }[];
  tenant?: { id: string; slug: string } | null;
  createdAt?: Date;
  schemaVersion?: string;
}

/** A manifest with the fixed fields filled in (format, versions, source app). */
export function buildManifest(input: ManifestInput): BundleManifest {
  const source: BundleManifest['source'] = { app: APP_NAME, version: APP_VERSION };
  if (input.tenant) {
    source.tenantId = input.tenant.id;
    source.tenantSlug = input.tenant.slug;
  }
  return {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    schemaVersion: input.schemaVersion ?? SCHEMA_VERSION,
    scope: input.scope,
    options: input.options,
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    source,
    tables: input.tables.map((t) => ({ name: t.name, columns: [...t.columns] })),
  };
}

/** A summary whose rowCounts follow the manifest's table order (stable JSON for diffs). */
export function buildSummary(manifest: Pick<BundleManifest, 'tables'>, rowCounts: Record<string, number>, sha256: string): BundleSummary {
  const ordered: Record<string, number> = {};
  for (const table of manifest.tables) ordered[table.name] = rowCounts[table.name] ?? 0;
  return { rowCounts: ordered, sha256 };
}
