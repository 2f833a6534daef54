import { InvalidUtf8, NOT_UTF8, Utf8Stream } from '../bundle-source.js';
import { parseSummary } from '../manifest-rules.js';
import { type BundleReader, MAX_VALUE_CHARS, type ReaderEvent } from '../reader-types.js';
import { BundleDocument } from './bundle-document.js';
import { Cursor } from './cursor.js';
import { ReaderOutput } from './reader-output.js';
import { COMMA_STAND_IN } from './table-rows.js';
import { newTokenizer, NONE, tokensOf } from './tokens.js';

/**
 * Reads a JSON bundle as JSON, streaming (docs/bundle-format.md "JSON"): stream-json's tokenizer
 * fed line by line (so errors carry a line number), under the grammar of BundleDocument, which
 * accepts exactly `{"manifest":{…},"data":{"<table>":[{row},…],…},"summary":{…}}` with tables
 * in manifest order (TableRows reads each table's rows). Each row is hashed as
 * JSON.stringify(row) + "\n", as the writer wrote it.
 */
const MAX_PIECE = 1024 * 1024;

export class JsonBundleReader implements BundleReader {
  readonly form = 'json' as const;

  constructor(private readonly chunks: AsyncIterable<Buffer>) {}

  async *events(): AsyncGenerator<ReaderEvent> {
    const cursor = new Cursor();
    const output = new ReaderOutput();
    const document = new BundleDocument(cursor, output);
    const tokenizer = newTokenizer();
    const utf8 = new Utf8Stream();
    // Text fed since the last token: a single value that never ends is refused before it fills memory.
    let charsSinceToken = 0;
    let afterCommaStandIn = false;

    const feed = (piece: string | typeof NONE) => {
      let out: unknown;
      try {
        out = tokenizer(piece);
      } catch (error) {
        throw cursor.reject(`malformed JSON (${(error as Error).message})`);
      }
      const tokens = tokensOf(out);
      if (tokens.length > 0) charsSinceToken = 0;
      for (const token of tokens) document.push(token);
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
        // A row line as the exporter writes it is taken whole; the tokenizer then gets a stand-in,
        // or nothing after a `null,` stand-in (it would be in the same state after another).
        const standIn: string | null = document.rows?.takeLine(piece, afterCommaStandIn) ?? null;
        if (standIn === '') {
          charsSinceToken = 0;
        } else {
          afterCommaStandIn = standIn === COMMA_STAND_IN;
          feed(standIn ?? piece);
        }
        if (charsSinceToken > MAX_VALUE_CHARS) throw cursor.reject(`a single value is larger than ${MAX_VALUE_CHARS / 1048576} MB: refused`);
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
    if (!document.ended) throw cursor.reject(`the JSON ends early (state ${document.stateName}): the bundle is truncated`);
    if (output.events.length > 0) yield* output.events.splice(0);
    yield { kind: 'end', summary: parseSummary(document.summary, document.manifest!), sha256: output.sha256(), rowCounts: output.rowCounts };
  }
}
