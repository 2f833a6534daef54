import { reject } from '../../import/import-types.js';
import { FORBIDDEN_KEYS, forbiddenKeyError } from '../manifest-rules.js';
import { type RawRow, ROW_BATCH } from '../reader-types.js';
import type { Cursor } from './cursor.js';
import { parseExporterLine } from './exporter-line.js';
import { scanExporterLine, scanKeys } from './exporter-scan.js';
import type { ReaderOutput } from './reader-output.js';
import { MAX_ARRAY_ITEMS, notAColumn, RowDraft } from './row-draft.js';
import type { Token } from './tokens.js';

type State = 'tableStart' | 'rowOrEnd' | 'rowKey' | 'rowValue' | 'arrayItem';

/** What the tokenizer gets for a row taken whole that a comma follows. */
export const COMMA_STAND_IN = 'null,\n';

/**
 * One table's array of rows, `[{row},…]`: token by token (push), or an exporter-style line at a
 * time through JSON.parse (takeLine). Rows are handed on in batches, each with its values in
 * manifest column order and hashed as the writer wrote it.
 */
export class TableRows {
  private state: State = 'tableStart';
  private readonly columnSet: ReadonlySet<string>;
  /** A row with more keys than this is not a row of this table: refused, not collected. */
  private readonly maxKeys: number;
  private readonly draft: RowDraft;
  /** Each column's key as the exporter writes it, for scanExporterLine. */
  private readonly keys: string[];
  /** Rows taken by takeLine whose `null` stand-in the tokenizer has not returned yet. */
  private placeholders = 0;
  private batch: RawRow[] = [];

  constructor(
    readonly name: string,
    private readonly columns: string[],
    private readonly cursor: Cursor,
    private readonly output: ReaderOutput,
  ) {
    this.columnSet = new Set(columns);
    this.maxKeys = columns.length + 16;
    this.draft = new RowDraft(name, this.columnSet);
    this.keys = scanKeys(columns);
  }

  /** The state a truncated bundle stopped in, for its message. */
  get stateName(): string {
    return this.state;
  }

  /** Takes the next token; returns true at the `]` that ends the table. */
  push(token: Token): boolean {
    const draft = this.draft;
    switch (this.state) {
      case 'rowKey': {
        if (token.name === 'endObject') {
          this.finish(draft.row, draft.line, draft.problem, JSON.stringify(draft.row));
          this.state = 'rowOrEnd';
          return false;
        }
        if (token.name !== 'keyValue') throw this.cursor.unexpected(token, 'a column name');
        const key = String(token.value);
        if (FORBIDDEN_KEYS.has(key)) throw forbiddenKeyError(key, `${this.cursor.at} (table ${this.name})`);
        if (++draft.keys > this.maxKeys)
          throw reject(`${this.cursor.at}: a row of ${this.name} has far more keys than the manifest's ${this.columns.length} columns`, { table: this.name });
        draft.key = key;
        this.state = 'rowValue';
        return false;
      }
      case 'rowValue':
        switch (token.name) {
          case 'stringValue':
          case 'nullValue':
          case 'trueValue':
          case 'falseValue':
            draft.set(token.value ?? null);
            this.state = 'rowKey';
            return false;
          case 'numberValue':
            draft.set(draft.number(String(token.value)));
            this.state = 'rowKey';
            return false;
          case 'startArray':
            draft.array = [];
            this.state = 'arrayItem';
            return false;
          default:
            throw this.cursor.unexpected(token, `a value for ${this.name}.${draft.key} (rows hold strings, numbers, null, true, false or arrays of strings)`);
        }
      case 'arrayItem':
        switch (token.name) {
          case 'endArray':
            draft.set(draft.array);
            this.state = 'rowKey';
            return false;
          case 'stringValue':
          case 'nullValue':
          case 'trueValue':
          case 'falseValue':
            draft.array.push(token.value ?? null);
            break;
          case 'numberValue':
            draft.array.push(draft.number(String(token.value)));
            break;
          default:
            throw this.cursor.unexpected(token, `an array element for ${this.name}.${draft.key} (arrays hold strings)`);
        }
        if (draft.array.length > MAX_ARRAY_ITEMS)
          throw reject(`${this.cursor.at}: the array in ${this.name}.${draft.key} has more than ${MAX_ARRAY_ITEMS} elements`, {
            table: this.name,
            field: draft.key,
          });
        return false;
      case 'rowOrEnd':
        if (this.placeholders > 0 && token.name === 'nullValue') {
          this.placeholders--; // stands for a row taken by takeLine
          return false;
        }
        if (token.name === 'endArray') {
          this.flush();
          return true;
        }
        if (token.name !== 'startObject') throw this.cursor.unexpected(token, `a row object in ${this.name}`);
        draft.start(this.cursor.line);
        this.state = 'rowKey';
        return false;
      case 'tableStart':
        if (token.name !== 'startArray') throw this.cursor.unexpected(token, `an array of rows for ${this.name}`);
        this.state = 'rowOrEnd';
        return false;
    }
  }

  /**
   * The fast paths: takes a whole line between rows when it is a row as the exporter writes it
   * (exporter-scan.ts, else exporter-line.ts). Returns what the tokenizer is to get in its place:
   * a `null` stand-in, or '' when `afterCommaStandIn` (the tokenizer's last input was `null,`,
   * and this row has a comma too: its state would be the same after another); null to tokenize the line.
   */
  takeLine(piece: string, afterCommaStandIn = false): string | null {
    if (this.state !== 'rowOrEnd') return null;
    let comma: boolean;
    const scanned = scanExporterLine(piece, this.keys);
    if (scanned !== null) {
      this.accept(scanned.values, this.cursor.line, undefined, scanned.body);
      comma = scanned.comma;
    } else {
      const line = parseExporterLine(piece, this.columnSet, this.maxKeys);
      if (line === null) return null;
      this.finish(line.row, this.cursor.line, line.stray === undefined ? undefined : notAColumn(line.stray, this.name), line.body);
      comma = line.comma;
    }
    if (comma && afterCommaStandIn) return '';
    this.placeholders++;
    return comma ? COMMA_STAND_IN : 'null\n';
  }

  /** Hands on a whole row: its values in column order, flagged with the first problem found in it. */
  private finish(row: Record<string, unknown>, line: number, found: RawRow['problem'], text: string): void {
    const values = this.columns.map((c) => row[c]);
    let problem = found;
    if (!problem) {
      const missing = this.columns.find((c) => !Object.hasOwn(row, c));
      if (missing) problem = { field: missing, message: `the row has no "${missing}" key; every manifest column must be present` };
    }
    this.accept(values, line, problem, text);
  }

  private accept(values: unknown[], line: number, problem: RawRow['problem'], text: string): void {
    this.output.row(this.name, text);
    this.batch.push(problem ? { values, where: `line ${line}`, problem } : { values, where: `line ${line}` });
    if (this.batch.length >= ROW_BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length > 0) {
      this.output.rows(this.name, this.batch);
      this.batch = [];
    }
  }
}
