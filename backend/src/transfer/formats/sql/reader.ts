import type { BundleManifest } from '../../../shared/api-types.js';
import {
  BundleHasher,
  decodeCopyText,
  parseSqlCopyHeaderLine,
  SQL_BEGIN_LINE,
  SQL_COMMIT_LINE,
  SQL_COPY_END_LINE,
  SQL_MANIFEST_PREFIX,
  SQL_SET_LINES,
  SQL_SUMMARY_PREFIX,
} from '../../bundle/index.js';
import { NOT_UTF8 } from '../bundle-source.js';
import { quote, whyNotStorable } from '../exact-values.js';
import { reject } from '../../import/import-types.js';
import { parseManifest, parseSmallJson, parseSummary } from '../manifest-rules.js';
import { type BundleReader, MAX_VALUE_CHARS, type RawRow, ROW_BATCH, type ReaderEvent } from '../reader-types.js';

/**
 * Reads an SQL bundle without ever sending it to a database as SQL (docs/bundle-format.md "SQL"):
 * it accepts exactly the exporter's dialect — header comments with one manifest line, the fixed
 * SET lines, BEGIN, one COPY block per manifest table in manifest order, COMMIT, the summary
 * comment, blank lines — and rejects anything else with its line number.
 */
const MAX_LINE_BYTES = 2 * MAX_VALUE_CHARS;

type State = 'header' | 'settings' | 'copyOrCommit' | 'data' | 'summary' | 'trailer';

/** Splits a byte stream into lines (without the `\n`); the last line may lack one. */
async function* lines(chunks: AsyncIterable<Buffer>): AsyncGenerator<{ bytes: Buffer; terminated: boolean }> {
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    let buffer = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
    let start = 0;
    for (let nl = buffer.indexOf(0x0a, start); nl !== -1; nl = buffer.indexOf(0x0a, start)) {
      yield { bytes: buffer.subarray(start, nl), terminated: true };
      start = nl + 1;
    }
    tail = Buffer.from(buffer.subarray(start));
    buffer = Buffer.alloc(0);
    if (tail.length > MAX_LINE_BYTES) throw reject(`a line is longer than ${MAX_LINE_BYTES / 1048576} MB: refused`);
  }
  if (tail.length > 0) yield { bytes: tail, terminated: false };
}

export class SqlBundleReader implements BundleReader {
  readonly form = 'copy' as const;

  constructor(private readonly chunks: AsyncIterable<Buffer>) {}

  async *events(): AsyncGenerator<ReaderEvent> {
    // Each line is decoded on its own, and each decode() would drop a leading U+FEFF: keep it, so a
    // BOM inside the file stays text (and fails its check); only the file's own BOM is skipped.
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const hasher = new BundleHasher();
    const rowCounts: Record<string, number> = {};
    const setsSeen = new Set<string>();
    let state: State = 'header';
    let manifest: BundleManifest | null = null;
    let summary: unknown = undefined;
    let tableIndex = -1;
    let table = '';
    let columns: string[] = [];
    const batch: RawRow[] = [];
    let lineNo = 0;

    const bad = (text: string, expected: string) =>
      reject(`line ${lineNo}: expected ${expected}, found ${quote(text)}; an SQL bundle holds only the exporter's COPY blocks and is never run as SQL`, {
        table: table || null,
      });

    for await (const { bytes, terminated } of lines(this.chunks)) {
      lineNo++;
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        throw reject(`line ${lineNo}: ${NOT_UTF8}`, { table: table || null });
      }
      if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (state === 'data') {
        if (text === SQL_COPY_END_LINE) {
          if (batch.length > 0) yield { kind: 'rows', table, rows: batch.splice(0) };
          state = 'copyOrCommit';
          continue;
        }
        if (!terminated) throw reject(`line ${lineNo}: the file ends inside the COPY data of ${table}: the bundle is truncated`, { table });
        hasher.update(bytes);
        hasher.update('\n');
        rowCounts[table]++;
        const fields = text.split('\t');
        const where = `line ${lineNo}`;
        if (fields.length !== columns.length) {
          batch.push({
            values: fields.map(decodeCopyText),
            where,
            problem: { field: null, message: `expected ${columns.length} tab-separated fields (${columns.join(', ')}), found ${fields.length}` },
          });
        } else {
          batch.push({ values: fields.map(decodeCopyText), where });
        }
        if (batch.length >= ROW_BATCH) yield { kind: 'rows', table, rows: batch.splice(0) };
        continue;
      }
      const trimmed = text.endsWith('\r') ? text.slice(0, -1) : text;
      if (trimmed.trim() === '') continue;
      switch (state) {
        case 'header':
          if (trimmed.startsWith(SQL_MANIFEST_PREFIX)) {
            manifest = parseManifest(parseSmallJson(trimmed.slice(SQL_MANIFEST_PREFIX.length), `line ${lineNo}: the manifest`));
            for (const t of manifest.tables) rowCounts[t.name] = 0;
            yield { kind: 'manifest', manifest };
            state = 'settings';
          } else if (!trimmed.startsWith('--')) {
            throw bad(trimmed, `the header comments with "${SQL_MANIFEST_PREFIX.trim()} {...}"`);
          }
          continue;
        case 'settings':
          if (trimmed === SQL_BEGIN_LINE) {
            state = 'copyOrCommit';
          } else if (SQL_SET_LINES.includes(trimmed) && !setsSeen.has(trimmed)) {
            setsSeen.add(trimmed);
          } else {
            throw bad(trimmed, `one of the fixed SET lines or ${SQL_BEGIN_LINE}`);
          }
          continue;
        case 'copyOrCommit': {
          if (trimmed === SQL_COMMIT_LINE) {
            const missing = manifest!.tables[tableIndex + 1];
            if (missing) throw reject(`line ${lineNo}: COMMIT before the COPY block of ${missing.name}, which the manifest lists`, { table: missing.name });
            state = 'summary';
            continue;
          }
          const copy = parseSqlCopyHeaderLine(trimmed);
          if (!copy) throw bad(trimmed, `COPY "<table>" (<columns>) FROM stdin; or ${SQL_COMMIT_LINE}`);
          const next = manifest!.tables[tableIndex + 1];
          if (!next || next.name !== copy.table) {
            const listed = manifest!.tables.some((t) => t.name === copy.table);
            throw reject(
              listed
                ? `line ${lineNo}: COPY of ${copy.table} is out of order; blocks follow the manifest (expected ${next?.name ?? 'COMMIT;'})`
                : `line ${lineNo}: COPY into ${quote(copy.table)}, which the manifest does not list`,
              { table: whyNotStorable(copy.table) === null && copy.table.length <= 60 ? copy.table : null },
            );
          }
          if (copy.columns.join('\u0000') !== next.columns.join('\u0000')) {
            throw reject(
              `line ${lineNo}: COPY of ${copy.table} names the columns (${copy.columns.map((c) => quote(c, 40)).join(', ')}); the manifest lists (${next.columns.join(', ')})`,
              { table: copy.table },
            );
          }
          tableIndex++;
          table = next.name;
          columns = next.columns;
          state = 'data';
          continue;
        }
        case 'summary':
          if (!trimmed.startsWith(SQL_SUMMARY_PREFIX)) throw bad(trimmed, `the summary line "${SQL_SUMMARY_PREFIX.trim()} {...}"`);
          summary = parseSmallJson(trimmed.slice(SQL_SUMMARY_PREFIX.length), `line ${lineNo}: the summary`);
          state = 'trailer';
          continue;
        case 'trailer':
          throw bad(trimmed, 'nothing after the summary');
      }
    }
    if (state !== 'trailer') {
      const expected = {
        header: 'the manifest line',
        settings: 'BEGIN;',
        copyOrCommit: 'COMMIT;',
        data: `the end of the COPY data of ${table}`,
        summary: 'the summary line',
      }[state];
      throw reject(`line ${lineNo}: the file ends before ${expected}: the bundle is truncated`, { table: table || null });
    }
    yield { kind: 'end', summary: parseSummary(summary, manifest!), sha256: hasher.digest(), rowCounts };
  }
}
