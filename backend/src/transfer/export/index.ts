/** The export half of the transfer engine: plain TypeScript, no Nest, no HTTP. */
export { exportBundle, type ExportBundleOptions, type ExportOutcome, type PgClientSource } from './export-bundle.js';
export { bundleExtension, bundleFileName, compactUtc } from './file-name.js';
export { planExport, type PlannedTable } from './export-plan.js';
export { normaliseExport, type ExportSelection } from './export-selection.js';
