import { isExactJsonNumber, quote } from '../exact-values.js';
import type { RawRow } from '../reader-types.js';

/** At most this many elements in one array value of a row. */
export const MAX_ARRAY_ITEMS = 100_000;

/** The problem of a row that has a key its table does not have. */
export const notAColumn = (name: string, table: string) => ({ field: name, message: `"${name}" is not a column of ${table} in the manifest` });

/**
 * A row of one table being assembled from tokens: its values by key, the key being read (and the
 * array, when its value is one), the line it starts on, and the first problem found in it. A
 * problem flags the row, the reading goes on.
 */
export class RowDraft {
  row: Record<string, unknown> = {};
  keys = 0;
  line = 0;
  problem: RawRow['problem'];
  key = '';
  array: unknown[] = [];

  constructor(
    private readonly table: string,
    private readonly columnSet: ReadonlySet<string>,
  ) {}

  start(line: number): void {
    this.row = {};
    this.keys = 0;
    this.line = line;
    this.problem = undefined;
  }

  /** The value of the key being read. */
  set(value: unknown): void {
    const key = this.key;
    if (Object.hasOwn(this.row, key)) this.problem ??= { field: key, message: `the key "${key}" appears twice in this row` };
    else if (!this.columnSet.has(key)) this.problem ??= notAColumn(key, this.table);
    this.row[key] = value;
  }

  /** The fast path takes only rows whose numbers JSON.stringify writes back alike (so exact); here the text is checked. */
  number(text: string): number {
    const value = Number(text);
    if (!isExactJsonNumber(text, value)) {
      this.problem ??= {
        field: this.key,
        message: `the number ${quote(text, 40)} reads as ${value}, not as the number written: refused rather than stored changed`,
      };
    }
    return value;
  }
}
