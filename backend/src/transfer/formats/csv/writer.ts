import { type Archiver, ZipArchive } from 'archiver';
import { PassThrough, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BundleManifest } from '../../../shared/api-types.js';
import type { BundleSummary } from '../../bundle/manifest.js';
import { BundleHasher } from '../../bundle/sha256.js';
import { type PlannedTable, selectSql } from '../../export/export-plan.js';
import { countNewlines } from '../line-blocks.js';
import { ByteCounter, writeWithBackPressure } from '../sink.js';
import type { BundleWriter, WriterOptions } from '../writer-types.js';
import { protectCsvTextSql } from './protect.js';

/**
 * CSV: a zip of manifest.json, one <table>.csv per table as COPY (FORMAT csv, HEADER) writes it
 * with formula protection done in the SELECT, and summary.json. The hash covers each CSV file's
 * bytes. Rows are counted by COPY itself (a quoted cell may hold a newline).
 */
export class CsvBundleWriter implements BundleWriter {
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
