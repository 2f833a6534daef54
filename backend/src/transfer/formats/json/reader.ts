import type { BundleManifest } from '../../../shared/api-types.js';
import { InvalidUtf8, NOT_UTF8, Utf8Stream } from '../bundle-source.js';
import { quote, whyNotStorable } from '../exact-values.js';
import { reject } from '../../import/import-types.js';
import { Cursor } from './cursor.js';
import { ReaderOutput } from './reader-output.js';
import { SmallValueBuilder } from './small-value.js';
import { TableRows } from './table-rows.js';
import { newTokenizer, NONE, type Token, tokensOf } from './tokens.js';
import { FORBIDDEN_KEYS, forbiddenKeyError, parseManifest, parseSummary } from '../manifest-rules.js';
import { type BundleReader, MAX_VALUE_CHARS, type ReaderEvent } from '../reader-types.js';

/**
 * Reads a JSON bundle as JSON, streaming (docs/bundle-format.md "JSON"): stream-json's tokenizer
 * fed line by line (so errors carry a line number), under a state machine that accepts exactly
 * `{"manifest":{…},"data":{"<table>":[{row},…],…},"summary":{…}}` with tables in manifest order.
 * Each row is hashed as JSON.stringify(row) + "\n", as the writer wrote it.
 */
const MAX_PIECE = 1024 * 1024;

type State = 'start' | 'topKey' | 'small' | 'dataStart' | 'dataKey' | 'rows' | 'end';

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
    let rows = null as TableRows | null;
    let charsSinceToken = 0;

    const at = () => cursor.at;
    const unexpected = (token: Token, expected: string) => cursor.unexpected(token, expected);

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
          rows = new TableRows(name, next.columns, cursor, output);
          state = 'rows';
          return;
        }
        case 'rows':
          if (rows!.push(token)) {
            rows = null;
            state = 'dataKey';
          }
          return;
        case 'end':
          throw unexpected(token, 'nothing after the end of the bundle');
      }
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
        feed(rows?.takeLine(piece) ?? piece);
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
    if ((state as State) !== 'end') throw cursor.reject(`the JSON ends early (state ${(state as State) === 'rows' ? rows!.state : state}): the bundle is truncated`);
    if (output.events.length > 0) yield* output.events.splice(0);
    yield { kind: 'end', summary: parseSummary(summary, manifest!), sha256: output.sha256(), rowCounts: output.rowCounts };
  }
}
