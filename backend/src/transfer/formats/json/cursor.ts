import { type BundleRejected, reject } from '../../import/import-types.js';
import { describe, type Token } from './tokens.js';

/** Where the reader is, for its messages: the line being read and the table last entered. */
export class Cursor {
  line = 1;
  /** '' before "data"; after a table's array it stays that table, which a later refusal still names. */
  table = '';

  get at(): string {
    return `line ${this.line}`;
  }

  /** A refusal of the bundle at `line`, naming the table. */
  rejectAt(line: number, message: string): BundleRejected {
    return reject(`line ${line}: ${message}`, { table: this.table || null });
  }

  reject(message: string): BundleRejected {
    return this.rejectAt(this.line, message);
  }

  unexpected(token: Token, expected: string): BundleRejected {
    return this.reject(`expected ${expected}, found ${describe(token)}`);
  }
}
