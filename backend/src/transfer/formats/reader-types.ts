import type { BundleManifest } from '../../shared/api-types.js';
import type { BundleSummary } from '../bundle/index.js';

/** How a reader hands over values: JSON values, COPY text fields (unescaped), or CSV cells. */
export type ValueForm = 'json' | 'copy' | 'csv';

export interface RawRow {
  /** One value per manifest column, in manifest column order. */
  values: unknown[];
  /** Where the row is, for messages ("line 12", "sets.csv line 4"). */
  where: string;
  /** A problem the reader found in this row alone (missing key, unknown key...). */
  problem?: { field: string | null; message: string };
}

export type ReaderEvent =
  | { kind: 'manifest'; manifest: BundleManifest }
  | { kind: 'rows'; table: string; rows: RawRow[] }
  | { kind: 'end'; summary: BundleSummary; sha256: string; rowCounts: Record<string, number> };

/**
 * A bundle reader streams events in file order: the manifest first, then rows table by table in
 * manifest order, then the end with the summary and what the reader counted and hashed. Anything
 * malformed throws BundleRejected with its location.
 */
export interface BundleReader {
  form: ValueForm;
  events(): AsyncGenerator<ReaderEvent>;
}

/** Rows are handed over in batches of this many. */
export const ROW_BATCH = 500;
/** Largest single value, and largest manifest or summary, a reader accepts. */
export const MAX_VALUE_CHARS = 16 * 1024 * 1024;
export const MAX_DOCUMENT_CHARS = 4 * 1024 * 1024;
