import type { BundleManifest } from '../../../shared/api-types.js';
import { BundleHasher } from '../../bundle/index.js';
import type { RawRow, ReaderEvent } from '../reader-types.js';

const HASH_BLOCK_CHARS = 256 * 1024;

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

  /** Row texts not yet hashed, and their length: hashed a block at a time, not a call per row. */
  private unhashed: string[] = [];
  private unhashedChars = 0;

  /** Counts a row and hashes its text as the writer wrote it: JSON.stringify(row) on a line of its own. */
  row(table: string, text: string): void {
    this.unhashed.push(text);
    this.unhashedChars += text.length;
    if (this.unhashedChars >= HASH_BLOCK_CHARS) this.hashPending();
    this.rowCounts[table]++;
  }

  private hashPending(): void {
    if (this.unhashed.length === 0) return;
    this.unhashed.push('');
    this.hasher.update(this.unhashed.join('\n'));
    this.unhashed = [];
    this.unhashedChars = 0;
  }

  rows(table: string, rows: RawRow[]): void {
    this.events.push({ kind: 'rows', table, rows });
  }

  sha256(): string {
    this.hashPending();
    return this.hasher.digest();
  }
}
