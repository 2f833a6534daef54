import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import type { BundleManifest } from '../../../shared/api-types.js';
import { BundleHasher } from '../../bundle/index.js';
import {
  asBundleSource,
  type BundleInput,
  type BundleSource,
  checkDecompression,
  type DecompressionLimits,
  InvalidUtf8,
  NOT_UTF8,
  Utf8Stream,
} from '../bundle-source.js';
import { quote } from '../exact-values.js';
import { RangedZipReader } from './ranged-zip-reader.js';
import { type CsvRecord, CsvRecordReader, CsvSyntaxError } from './records.js';
import { BundleRejected, reject } from '../../import/import-types.js';
import { parseManifest, parseSmallJson, parseSummary } from '../manifest-rules.js';
import { type BundleReader, MAX_DOCUMENT_CHARS, MAX_VALUE_CHARS, type RawRow, ROW_BATCH, type ReaderEvent } from '../reader-types.js';

/**
 * Reads a CSV bundle (docs/bundle-format.md "CSV"): a zip of manifest.json, one <table>.csv per
 * manifest table in manifest order, and summary.json. yauzl reads the central directory first, so
 * the entry count and names are checked before anything is inflated; each entry's size and
 * ratio are checked while it inflates.
 */
export class CsvBundleReader implements BundleReader {
  readonly form = 'csv' as const;

  constructor(
    input: BundleInput,
    private readonly limits: DecompressionLimits,
    /** Tables this server knows: bounds the entry count before the manifest is read. */
    private readonly knownTableCount: number,
  ) {
    this.source = asBundleSource(input);
  }

  private readonly source: BundleSource;

  async *events(): AsyncGenerator<ReaderEvent> {
    let zip: yauzl.ZipFile;
    try {
      const options = { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: true, decodeStrings: true };
      // A local file is read through its descriptor; anything else (an S3 object) by ranged reads.
      const { path } = this.source;
      if (path) zip = await yauzl.openPromise(path, options);
      else {
        const size = await this.source.size();
        zip = await yauzl.fromRandomAccessReaderPromise(new RangedZipReader(this.source, size), size, options);
      }
    } catch (error) {
      throw reject(`The zip file cannot be read (${(error as Error).message}): a CSV bundle is a zip of manifest.json, <table>.csv files and summary.json`);
    }
    try {
      yield* this.read(zip);
    } catch (error) {
      if (error instanceof BundleRejected) throw error;
      throw reject(`The zip file is corrupt or not a CSV bundle: ${(error as Error).message}`);
    } finally {
      zip.close();
    }
  }

  private async *read(zip: yauzl.ZipFile): AsyncGenerator<ReaderEvent> {
    if (zip.entryCount > this.knownTableCount + 2) {
      throw reject(
        `The zip has ${zip.entryCount} entries; a CSV bundle has at most ${this.knownTableCount + 2} (manifest.json, one CSV per table, summary.json)`,
      );
    }
    const budget = { used: 0 };
    const first = await nextEntry(zip);
    if (!first || first.fileName !== 'manifest.json')
      throw reject(`The first zip entry must be manifest.json, found ${first ? describeName(first.fileName) : 'no entries'}`);
    const manifest: BundleManifest = parseManifest(parseSmallJson(await this.readSmall(zip, first, budget), 'manifest.json'));
    if (zip.entryCount !== manifest.tables.length + 2) {
      throw reject(
        `The zip has ${zip.entryCount} entries; this bundle's manifest lists ${manifest.tables.length} tables, so it must have ${manifest.tables.length + 2} (manifest.json, one CSV per table, summary.json)`,
      );
    }
    yield { kind: 'manifest', manifest };

    const hasher = new BundleHasher();
    const rowCounts: Record<string, number> = {};
    for (const table of manifest.tables) {
      const entry = await nextEntry(zip);
      const expected = `${table.name}.csv`;
      if (!entry || entry.fileName !== expected)
        throw reject(
          `Expected the zip entry ${expected} next (tables follow the manifest), found ${entry ? describeName(entry.fileName) : 'the end of the zip'}`,
          { table: table.name },
        );
      rowCounts[table.name] = 0;
      for await (const rows of this.readTable(zip, entry, table, hasher, budget)) {
        rowCounts[table.name] += rows.length;
        yield { kind: 'rows', table: table.name, rows };
      }
    }
    const last = await nextEntry(zip);
    if (!last || last.fileName !== 'summary.json')
      throw reject(`The last zip entry must be summary.json, found ${last ? describeName(last.fileName) : 'the end of the zip'}: the bundle is truncated`);
    const summary = parseSummary(parseSmallJson(await this.readSmall(zip, last, budget), 'summary.json'), manifest);
    yield { kind: 'end', summary, sha256: hasher.digest(), rowCounts };
  }

  private precheck(entry: yauzl.Entry, budget: { used: number }): void {
    // Declared sizes are checked before inflating; the real bytes are counted while inflating.
    const unlimited = Number.MAX_SAFE_INTEGER;
    const total = checkDecompression(budget.used + entry.uncompressedSize, unlimited, this.limits, 'The zip content');
    const ratio = checkDecompression(
      entry.uncompressedSize,
      entry.compressedSize,
      { ...this.limits, maxDecompressedBytes: unlimited },
      `The zip entry ${describeName(entry.fileName)}`,
    );
    if (total ?? ratio) throw (total ?? ratio)!;
    if (entry.isEncrypted()) throw reject(`The zip entry ${describeName(entry.fileName)} is encrypted`);
  }

  private async open(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: { used: number }) {
    this.precheck(entry, budget);
    const stream = await zip.openReadStreamPromise(entry, {});
    const start = budget.used;
    let out = 0;
    const limits = this.limits;
    const guard = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        out += chunk.length;
        budget.used = start + out;
        const total = checkDecompression(budget.used, Number.MAX_SAFE_INTEGER, limits, 'The zip content');
        const ratio = checkDecompression(
          out,
          entry.compressedSize,
          { ...limits, maxDecompressedBytes: Number.MAX_SAFE_INTEGER },
          `The zip entry ${describeName(entry.fileName)}`,
        );
        callback(total ?? ratio ?? null, chunk);
      },
    });
    return { stream, guard };
  }

  private async readSmall(zip: yauzl.ZipFile, entry: yauzl.Entry, budget: { used: number }): Promise<string> {
    if (entry.uncompressedSize > MAX_DOCUMENT_CHARS) throw reject(`${entry.fileName} is larger than ${MAX_DOCUMENT_CHARS / 1048576} MB`);
    const { stream, guard } = await this.open(zip, entry, budget);
    const parts: Buffer[] = [];
    let size = 0;
    const collect = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        size += chunk.length;
        if (size > MAX_DOCUMENT_CHARS) return callback(reject(`${entry.fileName} is larger than ${MAX_DOCUMENT_CHARS / 1048576} MB`));
        parts.push(chunk);
        callback();
      },
    });
    await pipeline(stream, guard, collect);
    const utf8 = new Utf8Stream();
    let text: string;
    try {
      text = utf8.decode(Buffer.concat(parts));
    } catch (error) {
      if (!(error instanceof InvalidUtf8)) throw error;
      throw reject(`${entry.fileName} line ${error.newlines + 1}: ${NOT_UTF8}`);
    }
    try {
      utf8.end();
    } catch {
      throw reject(`${entry.fileName} ends inside a UTF-8 character`);
    }
    return text;
  }

  private async *readTable(
    zip: yauzl.ZipFile,
    entry: yauzl.Entry,
    table: { name: string; columns: string[] },
    hasher: BundleHasher,
    budget: { used: number },
  ): AsyncGenerator<RawRow[]> {
    const { stream, guard } = await this.open(zip, entry, budget);
    const file = entry.fileName;
    const done = pipeline(stream, guard);
    done.catch(() => undefined);
    const reader = new CsvRecordReader(MAX_VALUE_CHARS);
    // Decoded here rather than in the pipeline, so that the record reader has had every earlier
    // line when a chunk turns out not to be UTF-8: its line count names the line of the bad bytes.
    const utf8 = new Utf8Stream();
    const decode = (chunk: Buffer | null): string => {
      try {
        if (chunk) return utf8.decode(chunk);
        utf8.end();
        return '';
      } catch (error) {
        if (!(error instanceof InvalidUtf8)) throw error;
        const what = chunk ? NOT_UTF8 : 'the file ends inside a UTF-8 character';
        throw reject(`${file} line ${reader.nextLine + error.newlines}: ${what}`, { table: table.name });
      }
    };
    let header = true;
    let batch: RawRow[] = [];
    const take = (records: CsvRecord[]): RawRow[] | null => {
      for (const { cells, line } of records) {
        const where = `${file} line ${line}`;
        if (header) {
          header = false;
          if (cells.join('\u0000') !== table.columns.join('\u0000')) {
            throw reject(
              `${where}: the header row must name the manifest's columns (${table.columns.join(',')}), found ${quote(cells.map((c) => c ?? '').join(','), 200)}`,
              { table: table.name },
            );
          }
          continue;
        }
        if (cells.length !== table.columns.length) {
          batch.push({
            values: cells,
            where,
            problem: { field: null, message: `expected ${table.columns.length} cells (${table.columns.join(', ')}), found ${cells.length}` },
          });
        } else {
          batch.push({ values: cells, where });
        }
      }
      if (batch.length < ROW_BATCH) return null;
      const full = batch;
      batch = [];
      return full;
    };
    try {
      for await (const chunk of guard as AsyncIterable<Buffer>) {
        hasher.update(chunk); // the bytes as stored
        const full = take(reader.push(decode(chunk)));
        if (full) yield full;
      }
      await done;
      const last = take(reader.push(decode(null), true));
      if (last) yield last;
    } catch (error) {
      if (error instanceof BundleRejected) throw error;
      if (error instanceof CsvSyntaxError) throw reject(`${file} line ${error.line}: not valid CSV (${error.message})`, { table: table.name });
      const message = (error as Error).message;
      if (/bytes in the stream/.test(message)) {
        throw reject(
          `The zip entry ${describeName(file)} inflates to a different size than its header declares (${message}): refused as a likely zip bomb or a corrupt zip`,
          { table: table.name },
        );
      }
      throw reject(`${file}: not valid CSV (${message})`, { table: table.name });
    } finally {
      stream.destroy();
      guard.destroy();
    }
    if (header) throw reject(`${file} is empty: every table CSV starts with a header row`, { table: table.name });
    if (batch.length > 0) yield batch;
  }
}

function describeName(name: string): string {
  return JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, rejectPromise) => {
    const cleanup = () => {
      zip.removeListener('entry', onEntry);
      zip.removeListener('end', onEnd);
      zip.removeListener('error', onError);
    };
    const onEntry = (entry: yauzl.Entry) => {
      cleanup();
      resolve(entry);
    };
    const onEnd = () => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error) => {
      cleanup();
      rejectPromise(reject(`The zip is not a valid CSV bundle: ${error.message} (entry names must be plain file names: no absolute paths, no "..")`));
    };
    zip.on('entry', onEntry);
    zip.on('end', onEnd);
    zip.on('error', onError);
    zip.readEntry();
  });
}
