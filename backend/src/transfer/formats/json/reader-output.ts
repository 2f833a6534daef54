import type { BundleManifest } from '../../../shared/api-types.js';
import { BundleHasher } from '../../bundle/index.js';
import type { RawRow, ReaderEvent } from '../reader-types.js';

/** What the reader hands on, in file order, and the count and hash of every row it passes. */
export class ReaderOutput {
  /** Events not yet yielded. */
  readonly events: ReaderEvent[] = [];
  readonly rowCounts: Record<string, number> = {};
  private readonly hasher = new BundleHasher();

  manifest(manifest: BundleManifest): void {
    for (const t of manifest.tables) this.rowCounts[t.name] = 0;
    this.events.push({ kind: 'manifest', manifest });
  }

  /** Counts a row and hashes its text as the writer wrote it: JSON.stringify(row) on a line of its own. */
  row(table: string, text: string): void {
    this.hasher.update(`${text}\n`);
    this.rowCounts[table]++;
  }

  rows(table: string, rows: RawRow[]): void {
    this.events.push({ kind: 'rows', table, rows });
  }

  sha256(): string {
    return this.hasher.digest();
  }
}
