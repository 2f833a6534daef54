import type { BundleManifest } from '../../../shared/api-types.js';
import { InvalidUtf8, NOT_UTF8, Utf8Stream } from '../bundle-source.js';
import { isExactJsonNumber, quote, whyNotStorable } from '../exact-values.js';
import { reject } from '../../import/import-types.js';
import { Cursor } from './cursor.js';
import { ReaderOutput } from './reader-output.js';
import { SmallValueBuilder } from './small-value.js';
import { newTokenizer, NONE, type Token, tokensOf } from './tokens.js';
import { FORBIDDEN_KEYS, forbiddenKeyError, parseManifest, parseSummary } from '../manifest-rules.js';
import { type BundleReader, MAX_VALUE_CHARS, type RawRow, ROW_BATCH, type ReaderEvent } from '../reader-types.js';

/**
 * Reads a JSON bundle as JSON, streaming (docs/bundle-format.md "JSON"): stream-json's tokenizer
 * fed line by line (so errors carry a line number), under a state machine that accepts exactly
 * `{"manifest":{…},"data":{"<table>":[{row},…],…},"summary":{…}}` with tables in manifest order.
 * Each row is hashed as JSON.stringify(row) + "\n", as the writer wrote it.
 */
const MAX_PIECE = 1024 * 1024;
const MAX_ARRAY_ITEMS = 100_000;

type State = 'start' | 'topKey' | 'small' | 'dataStart' | 'dataKey' | 'tableStart' | 'rowOrEnd' | 'rowKey' | 'rowValue' | 'arrayItem' | 'end';

export class JsonBundleReader implements BundleReader {
  readonly form = 'json' as const;

  constructor(private readonly chunks: AsyncIterable<Buffer>) {}

  async *events(): AsyncGenerator<ReaderEvent> {
    const tokenizer = newTokenizer();
    const utf8 = new Utf8Stream();
    const cursor = new Cursor();
    const output = new ReaderOutput();

    let state: State = 'start';
    const topKeys = ['manifest', 'data', 'summary'];
    let topIndex = 0;
    let small: SmallValueBuilder | null = null;
    let smallKind: 'manifest' | 'summary' = 'manifest';
    let manifest: BundleManifest | null = null;
    let summary: unknown = undefined;
    let tableIndex = -1;
    let columns: string[] = [];
    let columnSet = new Set<string>();
    let batch: RawRow[] = [];
    let row: Record<string, unknown> = {};
    let rowKeys = 0;
    let rowLine = 0;
    let rowProblem: RawRow['problem'];
    let key = '';
    let array: unknown[] = [];
    let charsSinceToken = 0;
    let placeholders = 0;

    const at = () => cursor.at;
    const flush = () => {
      if (batch.length > 0) {
        output.rows(cursor.table, batch);
        batch = [];
      }
    };
    const unexpected = (token: Token, expected: string) => cursor.unexpected(token, expected);

    const notAColumn = (name: string) => ({ field: name, message: `"${name}" is not a column of ${cursor.table} in the manifest` });
    const setValue = (value: unknown) => {
      if (Object.hasOwn(row, key)) rowProblem ??= { field: key, message: `the key "${key}" appears twice in this row` };
      else if (!columnSet.has(key)) rowProblem ??= notAColumn(key);
      row[key] = value;
    };

    /** The fast path takes only rows whose numbers JSON.stringify writes back alike (so exact); here the text is checked. */
    const numberOf = (text: string): number => {
      const value = Number(text);
      if (!isExactJsonNumber(text, value)) {
        rowProblem ??= {
          field: key,
          message: `the number ${quote(text, 40)} reads as ${value}, not as the number written: refused rather than stored changed`,
        };
      }
      return value;
    };

    const endRow = (serialised?: string) => {
      const values = columns.map((c) => row[c]);
      let problem = rowProblem;
      if (!problem) {
        const missing = columns.find((c) => !Object.hasOwn(row, c));
        if (missing) problem = { field: missing, message: `the row has no "${missing}" key; every manifest column must be present` };
      }
      output.row(cursor.table, serialised ?? JSON.stringify(row));
      batch.push(problem ? { values, where: `line ${rowLine}`, problem } : { values, where: `line ${rowLine}` });
      if (batch.length >= ROW_BATCH) flush();
    };

    const handle = (token: Token): void => {
      switch (state) {
        case 'start':
          if (token.name !== 'startObject') throw unexpected(token, 'the bundle object "{"');
          state = 'topKey';
          return;
        case 'topKey':
          if (token.name === 'endObject') {
            if (topIndex !== topKeys.length) throw reject(`${at()}: the bundle ends without its "${topKeys[topIndex]}"`);
            state = 'end';
            return;
          }
          if (token.name !== 'keyValue') throw unexpected(token, 'a key');
          if (FORBIDDEN_KEYS.has(String(token.value))) throw forbiddenKeyError(String(token.value), at());
          if (token.value !== topKeys[topIndex]) {
            throw reject(
              `${at()}: expected the key "${topKeys[topIndex] ?? '}'}" (a bundle is {"manifest", "data", "summary"} in this order), found ${quote(String(token.value), 40)}`,
            );
          }
          topIndex++;
          if (token.value === 'data') {
            if (!manifest) throw reject(`${at()}: "data" before the manifest`);
            state = 'dataStart';
          } else {
            smallKind = token.value as 'manifest' | 'summary';
            small = new SmallValueBuilder(smallKind === 'manifest' ? 'The manifest' : 'The summary');
            state = 'small';
          }
          return;
        case 'small':
          if (small!.push(token)) {
            if (smallKind === 'manifest') {
              manifest = parseManifest(small!.value);
              output.manifest(manifest);
            } else {
              summary = small!.value;
            }
            small = null;
            state = 'topKey';
          }
          return;
        case 'dataStart':
          if (token.name !== 'startObject') throw unexpected(token, '"data" to be an object of tables');
          state = 'dataKey';
          return;
        case 'dataKey': {
          if (token.name === 'endObject') {
            if (tableIndex + 1 < manifest!.tables.length)
              throw reject(`${at()}: "data" has no "${manifest!.tables[tableIndex + 1].name}", which the manifest lists`, {
                table: manifest!.tables[tableIndex + 1].name,
              });
            state = 'topKey';
            return;
          }
          if (token.name !== 'keyValue') throw unexpected(token, 'a table name');
          const name = String(token.value);
          if (FORBIDDEN_KEYS.has(name)) throw forbiddenKeyError(name, at());
          const next = manifest!.tables[tableIndex + 1];
          if (!next || next.name !== name) {
            const listed = manifest!.tables.some((t) => t.name === name);
            throw reject(
              listed
                ? `${at()}: table "${name}" is out of order; tables follow the manifest (expected "${next?.name ?? 'the end of data'}")`
                : `${at()}: "data" holds the table ${quote(name)}, which the manifest does not list`,
              { table: name.length <= 60 ? name : null },
            );
          }
          tableIndex++;
          cursor.table = name;
          columns = next.columns;
          columnSet = new Set(columns);
          state = 'tableStart';
          return;
        }
        case 'tableStart':
          if (token.name !== 'startArray') throw unexpected(token, `an array of rows for ${cursor.table}`);
          state = 'rowOrEnd';
          return;
        case 'rowOrEnd':
          if (placeholders > 0 && token.name === 'nullValue') {
            placeholders--; // stands for a row read by the fast path below
            return;
          }
          if (token.name === 'endArray') {
            flush();
            state = 'dataKey';
            return;
          }
          if (token.name !== 'startObject') throw unexpected(token, `a row object in ${cursor.table}`);
          row = {};
          rowKeys = 0;
          rowLine = cursor.line;
          rowProblem = undefined;
          state = 'rowKey';
          return;
        case 'rowKey':
          if (token.name === 'endObject') {
            endRow();
            state = 'rowOrEnd';
            return;
          }
          if (token.name !== 'keyValue') throw unexpected(token, 'a column name');
          key = String(token.value);
          if (FORBIDDEN_KEYS.has(key)) throw forbiddenKeyError(key, `${at()} (table ${cursor.table})`);
          if (++rowKeys > columns.length + 16)
            throw reject(`${at()}: a row of ${cursor.table} has far more keys than the manifest's ${columns.length} columns`, { table: cursor.table });
          state = 'rowValue';
          return;
        case 'rowValue':
          switch (token.name) {
            case 'stringValue':
            case 'nullValue':
            case 'trueValue':
            case 'falseValue':
              setValue(token.value ?? null);
              state = 'rowKey';
              return;
            case 'numberValue':
              setValue(numberOf(String(token.value)));
              state = 'rowKey';
              return;
            case 'startArray':
              array = [];
              state = 'arrayItem';
              return;
            default:
              throw unexpected(token, `a value for ${cursor.table}.${key} (rows hold strings, numbers, null, true, false or arrays of strings)`);
          }
        case 'arrayItem':
          switch (token.name) {
            case 'endArray':
              setValue(array);
              state = 'rowKey';
              return;
            case 'stringValue':
            case 'nullValue':
            case 'trueValue':
            case 'falseValue':
              array.push(token.value ?? null);
              break;
            case 'numberValue':
              array.push(numberOf(String(token.value)));
              break;
            default:
              throw unexpected(token, `an array element for ${cursor.table}.${key} (arrays hold strings)`);
          }
          if (array.length > MAX_ARRAY_ITEMS)
            throw reject(`${at()}: the array in ${cursor.table}.${key} has more than ${MAX_ARRAY_ITEMS} elements`, { table: cursor.table, field: key });
          return;
        case 'end':
          throw unexpected(token, 'nothing after the end of the bundle');
      }
    };

    /**
     * The exporter writes each row on its own line as JSON.stringify(row). Such a line, between
     * rows, is parsed with JSON.parse rather than token by token (about four times faster); the
     * tokenizer gets `null` in its place, so it still checks the commas and brackets around it.
     * Only a line whose re-serialisation is itself (no duplicate keys, no whitespace) and whose
     * values are flat qualifies; anything else goes the token way and gets its precise error.
     */
    const fastRow = (piece: string): boolean => {
      if (state !== 'rowOrEnd' || piece.charCodeAt(0) !== 0x7b || piece.charCodeAt(piece.length - 1) !== 0x0a) return false;
      const comma = piece.charCodeAt(piece.length - 2) === 0x2c;
      const body = piece.slice(0, comma ? -2 : -1);
      if (body.charCodeAt(body.length - 1) !== 0x7d) return false;
      let parsed: unknown;
      try {
        parsed = JSON.parse(body);
      } catch {
        return false;
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
      const keys = Object.keys(parsed);
      if (keys.length > columns.length + 16) return false;
      for (const k of keys) {
        if (FORBIDDEN_KEYS.has(k)) return false;
        const value = (parsed as Record<string, unknown>)[k];
        if (typeof value === 'object' && value !== null && !(Array.isArray(value) && value.length <= MAX_ARRAY_ITEMS && value.every(isFlat))) return false;
      }
      if (JSON.stringify(parsed) !== body) return false;
      row = parsed as Record<string, unknown>;
      rowLine = cursor.line;
      const stray = keys.find((k) => !columnSet.has(k));
      if (stray !== undefined && whyNotStorable(stray) !== null) return false; // the token way refuses it with its line
      rowProblem = stray === undefined ? undefined : notAColumn(stray);
      endRow(body);
      placeholders++;
      feed(comma ? 'null,\n' : 'null\n');
      return true;
    };

    const feed = (piece: string | typeof NONE) => {
      let out: unknown;
      try {
        out = tokenizer(piece);
      } catch (error) {
        throw cursor.reject(`malformed JSON (${(error as Error).message})`);
      }
      const tokens = tokensOf(out);
      if (tokens.length > 0) charsSinceToken = 0;
      for (const token of tokens) {
        // A key is a name in every message about its row or table: it must be text a report can hold.
        if (token.name === 'keyValue') {
          const why = whyNotStorable(String(token.value));
          if (why !== null) throw cursor.reject(`the key ${quote(String(token.value), 40)} holds ${why}`);
        }
        handle(token);
      }
    };

    for await (const chunk of this.chunks) {
      let text: string;
      try {
        text = utf8.decode(chunk);
      } catch (error) {
        if (!(error instanceof InvalidUtf8)) throw error;
        // Every line before this chunk has been counted: add the breaks up to the bad byte.
        throw cursor.rejectAt(cursor.line + error.newlines, NOT_UTF8);
      }
      let start = 0;
      while (start < text.length) {
        const newline = text.indexOf('\n', start);
        const end = Math.min(newline === -1 ? text.length : newline + 1, start + MAX_PIECE);
        const piece = text.slice(start, end);
        charsSinceToken += piece.length;
        if (!fastRow(piece)) feed(piece);
        if (charsSinceToken > MAX_VALUE_CHARS)
          throw cursor.reject(`a single value is larger than ${MAX_VALUE_CHARS / 1048576} MB: refused`);
        if (end === newline + 1) cursor.line++;
        start = end;
        if (output.events.length > 0) yield* output.events.splice(0);
      }
    }
    try {
      utf8.end();
    } catch {
      throw cursor.reject('the file ends inside a UTF-8 character');
    }
    try {
      feed(NONE);
    } catch (error) {
      throw error instanceof Error && /malformed JSON/.test(error.message)
        ? cursor.reject(`the JSON ends early (${error.message.replace(/^.*malformed JSON /, '')}): the bundle is truncated`)
        : error;
    }
    if ((state as State) !== 'end') throw cursor.reject(`the JSON ends early (state ${state}): the bundle is truncated`);
    flush();
    if (output.events.length > 0) yield* output.events.splice(0);
    yield { kind: 'end', summary: parseSummary(summary, manifest!), sha256: output.sha256(), rowCounts: output.rowCounts };
  }
}

const isFlat = (value: unknown) => value === null || typeof value !== 'object';
