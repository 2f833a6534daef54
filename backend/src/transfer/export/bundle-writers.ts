import { type Archiver, ZipArchive } from 'archiver';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import type { BundleManifest, ExportFormat } from '../../shared/api-types.js';
import { protectCsvTextSql } from '../bundle/csv-protect.js';
import type { BundleSummary } from '../bundle/manifest.js';
import { BundleHasher } from '../bundle/sha256.js';
import {
  SQL_BEGIN_LINE,
  SQL_COMMIT_LINE,
  SQL_COPY_END_LINE,
  SQL_MANIFEST_PREFIX,
  SQL_SET_LINES,
  SQL_SUMMARY_PREFIX,
  SQL_TITLE_LINE,
  sqlCopyHeaderLine,
} from '../bundle/sql-dialect.js';
import { type PlannedTable, selectSql } from './export-plan.js';
import { countNewlines, LineBlocks } from './line-blocks.js';
import { ByteCounter, writeWithBackPressure } from './sink.js';

/**
 * One writer per encoding (docs/bundle-format.md). Each says which COPY statement feeds it, then
 * turns that COPY output into its encoding while streaming, feeding the bundle hash as it goes.
 */
export interface BundleWriter {
  readonly hasher: BundleHasher;
  copySql(table: PlannedTable): string;
  begin(manifest: BundleManifest): Promise<void>;
  /** Streams one table; `onRows` gets the running row count. Returns the rows seen. */
  writeTable(table: PlannedTable, isLast: boolean, copy: AsyncIterable<Buffer>, onRows: (rows: number) => void): Promise<number>;
  /** Writes the end and waits until the output has everything. */
  end(summary: BundleSummary): Promise<void>;
  /** Bytes written to the output so far (compressed size when compressing). */
  bytes(): number;
  /** Stops everything after an error or a cancel. */
  destroy(error: Error): void;
}

export interface WriterOptions {
  format: ExportFormat;
  compress: boolean;
  signal?: AbortSignal;
}

export function createBundleWriter(output: Writable, options: WriterOptions): BundleWriter {
  switch (options.format) {
    case 'json':
      return new JsonBundleWriter(output, options);
    case 'sql':
      return new SqlBundleWriter(output, options);
    case 'csv':
      return new CsvBundleWriter(output, options);
  }
}

/** Text encodings (JSON, SQL): one stream, gzip-wrapped when compressing. */
abstract class TextBundleWriter implements BundleWriter {
  readonly hasher = new BundleHasher();
  protected readonly head: Writable;
  private readonly counter = new ByteCounter();
  private readonly done: Promise<void>;
  private failure: Error | null = null;

  constructor(
    output: Writable,
    protected readonly options: WriterOptions,
  ) {
    const gzip = options.compress ? createGzip({ level: 6 }) : null;
    this.head = gzip ?? this.counter;
    this.done = gzip ? pipeline(gzip, this.counter, output) : pipeline(this.counter, output);
    // Observed here so an early failure is never an unhandled rejection; end() rethrows it.
    this.done.catch((error: Error) => {
      this.failure ??= error;
    });
  }

  abstract copySql(table: PlannedTable): string;
  abstract begin(manifest: BundleManifest): Promise<void>;
  abstract writeTable(table: PlannedTable, isLast: boolean, copy: AsyncIterable<Buffer>, onRows: (rows: number) => void): Promise<number>;
  abstract end(summary: BundleSummary): Promise<void>;

  protected async write(chunk: string | Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    await writeWithBackPressure(this.head, chunk, this.options.signal);
  }

  protected async finish(): Promise<void> {
    this.head.end();
    await this.done;
  }

  bytes(): number {
    return this.counter.bytes;
  }

  destroy(error: Error): void {
    this.failure ??= error;
    this.head.destroy(error);
  }
}

/**
 * JSON: PostgreSQL renders each row with row_to_json (numeric and bigint cast to text so no float
 * rounding); its text is byte-identical to JSON.stringify of the parsed row for our column
 * types (test/export-formats.integration-spec.ts checks this). COPY text doubles backslashes,
 * and since JSON text has no raw control characters that is the only escape to undo.
 */
class JsonBundleWriter extends TextBundleWriter {
  copySql(table: PlannedTable): string {
    const inner = selectSql(table, (c) => (c.spec.type === 'numeric' || c.spec.type === 'bigint' ? `(${c.expression})::text` : c.expression));
    return `COPY (SELECT row_to_json(r) FROM (${inner}) r ORDER BY r."id") TO STDOUT`;
  }

  async begin(manifest: BundleManifest): Promise<void> {
    await this.write(`{"manifest":${JSON.stringify(manifest)},\n"data":{\n`);
  }

  async writeTable(table: PlannedTable, isLast: boolean, copy: AsyncIterable<Buffer>, onRows: (rows: number) => void): Promise<number> {
    // jsonb values come out of PostgreSQL with spaces; re-serialise so the text is JSON.stringify's.
    const reserialise = table.columns.some((c) => c.spec.type === 'jsonb');
    await this.write(`${JSON.stringify(table.spec.name)}:[\n`);
    const blocks = new LineBlocks();
    let pending: string | null = null;
    let rows = 0;
    for await (const chunk of copy) {
      let block = blocks.push(chunk);
      if (block === '') continue;
      if (block.includes('\\')) block = block.replace(/\\\\/g, '\\');
      const lines = block.split('\n');
      lines.pop();
      if (reserialise) {
        for (let i = 0; i < lines.length; i++) lines[i] = JSON.stringify(JSON.parse(lines[i]));
        block = `${lines.join('\n')}\n`;
      }
      this.hasher.update(block);
      rows += lines.length;
      // Each row but the last of the table is followed by a comma, so the last line waits.
      if (pending !== null) lines.unshift(pending);
      pending = lines.pop()!;
      if (lines.length > 0) await this.write(`${lines.join(',\n')},\n`);
      onRows(rows);
    }
    blocks.end();
    await this.write(`${pending !== null ? `${pending}\n` : ''}]${isLast ? '' : ','}\n`);
    return rows;
  }

  async end(summary: BundleSummary): Promise<void> {
    await this.write(`},\n"summary":${JSON.stringify(summary)}}\n`);
    await this.finish();
  }
}

/** SQL: a psql script around the COPY text lines exactly as PostgreSQL writes them. */
class SqlBundleWriter extends TextBundleWriter {
  copySql(table: PlannedTable): string {
    return `COPY (${selectSql(table)}) TO STDOUT`;
  }

  async begin(manifest: BundleManifest): Promise<void> {
    await this.write([SQL_TITLE_LINE, `${SQL_MANIFEST_PREFIX}${JSON.stringify(manifest)}`, ...SQL_SET_LINES, SQL_BEGIN_LINE, ''].join('\n'));
  }

  async writeTable(table: PlannedTable, _isLast: boolean, copy: AsyncIterable<Buffer>, onRows: (rows: number) => void): Promise<number> {
    await this.write(
      `${sqlCopyHeaderLine(
        table.spec.name,
        table.columns.map((c) => c.spec.name),
      )}\n`,
    );
    let rows = 0;
    let lastByte = 0x0a;
    for await (const chunk of copy) {
      if (chunk.length === 0) continue;
      this.hasher.update(chunk);
      rows += countNewlines(chunk);
      lastByte = chunk[chunk.length - 1];
      await this.write(chunk);
      onRows(rows);
    }
    if (lastByte !== 0x0a) throw new Error(`COPY output of ${table.spec.name} did not end with a newline`);
    await this.write(`${SQL_COPY_END_LINE}\n`);
    return rows;
  }

  async end(summary: BundleSummary): Promise<void> {
    await this.write(`${SQL_COMMIT_LINE}\n${SQL_SUMMARY_PREFIX}${JSON.stringify(summary)}\n`);
    await this.finish();
  }
}

/**
 * CSV: a zip of manifest.json, one <table>.csv per table as COPY (FORMAT csv, HEADER) writes it
 * with formula protection done in the SELECT, and summary.json. The hash covers each CSV file's
 * bytes. Rows are counted by COPY itself (a quoted cell may hold a newline).
 */
class CsvBundleWriter implements BundleWriter {
  readonly hasher = new BundleHasher();
  private readonly archive: Archiver;
  private readonly counter = new ByteCounter();
  private readonly done: Promise<void>;
  private failure: Error | null = null;
  private current: PassThrough | null = null;
  private date = new Date();

  constructor(
    output: Writable,
    private readonly options: WriterOptions,
  ) {
    // Level 1: deflate is the cost of a CSV export (see docs/benchmarks.md); CSV still shrinks ~5x.
    this.archive = new ZipArchive({ zlib: { level: 1 } });
    this.archive.on('warning', (error: Error) => this.destroy(error));
    this.archive.on('error', (error: Error) => this.current?.destroy(error));
    this.done = pipeline(this.archive, this.counter, output);
    this.done.catch((error: Error) => {
      this.failure ??= error;
      this.current?.destroy(error);
    });
  }

  copySql(table: PlannedTable): string {
    const sql = selectSql(table, (c) => (c.spec.type === 'text' ? protectCsvTextSql(c.expression) : c.expression));
    return `COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true)`;
  }

  begin(manifest: BundleManifest): Promise<void> {
    // Entry times follow the manifest, so the zip holds no other clock reading.
    this.date = new Date(manifest.createdAt);
    this.archive.append(Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`), { name: 'manifest.json', date: this.date });
    return Promise.resolve();
  }

  async writeTable(table: PlannedTable, _isLast: boolean, copy: AsyncIterable<Buffer>, onRows: (rows: number) => void): Promise<number> {
    this.throwIfFailed();
    const entry = new PassThrough();
    this.current = entry;
    this.archive.append(entry, { name: `${table.spec.name}.csv`, date: this.date });
    let lines = 0;
    for await (const chunk of copy) {
      this.hasher.update(chunk);
      lines += countNewlines(chunk);
      await writeWithBackPressure(entry, chunk, this.options.signal);
      onRows(Math.max(0, lines - 1));
    }
    entry.end();
    this.current = null;
    this.throwIfFailed();
    return Math.max(0, lines - 1);
  }

  async end(summary: BundleSummary): Promise<void> {
    this.archive.append(Buffer.from(`${JSON.stringify(summary, null, 2)}\n`), { name: 'summary.json', date: this.date });
    await this.archive.finalize();
    await this.done;
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }

  bytes(): number {
    return this.counter.bytes;
  }

  destroy(error: Error): void {
    this.failure ??= error;
    this.current?.destroy(error);
    this.archive.abort();
    this.archive.destroy(error);
  }
}
