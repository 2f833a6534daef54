import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { csvFiles, type LogicalBundle, manifestFor, zipOf } from '../../../../test/support/bundle-builder.js';
import { Readable } from 'node:stream';
import type { BundleSource } from '../bundle-source.js';
import { CsvBundleReader } from './reader.js';
import type { ReaderEvent } from '../reader-types.js';

const limits = { maxDecompressedBytes: 64 * 1024 * 1024, maxCompressionRatio: 1000 };

// Enough rows that equipment.csv inflates in many chunks; row 3 spans two lines (a quoted line break).
const rows = Array.from({ length: 20_000 }, (_, i) => ({ id: `e${i}`, name: i === 1 ? 'two\nlines' : `Bar ☃ ${i}`, description: null }));
const bundle: LogicalBundle = {
  manifest: manifestFor('global', [{ name: 'equipment', columns: ['id', 'name', 'description'] }]),
  rows: { equipment: rows },
  types: { equipment: { id: 'uuid', name: 'text', description: 'text' } },
};

describe('CsvBundleReader names the file and line of bytes that are not UTF-8', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rythm-csv-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  let countRanges = 0;
  it('reads the same events by ranged reads from a source with no local path (an S3 object), a few reads in all', async () => {
    const zip = zipOf(csvFiles(bundle));
    const source: BundleSource = {
      name: 'bundle.zip',
      size: () => Promise.resolve(zip.length),
      open: (range) => {
        countRanges++;
        return Promise.resolve(Readable.from([range ? zip.subarray(range.start, range.end + 1) : zip]));
      },
    };
    const ranged: ReaderEvent[] = [];
    for await (const event of new CsvBundleReader(source, limits, 10).events()) ranged.push(event);
    const reads = countRanges;
    countRanges = 0;
    // The same rows and the same end; only how they are batched follows the chunks read.
    const flat = (events: ReaderEvent[]) => events.flatMap((e): unknown[] => (e.kind === 'rows' ? e.rows : [e]));
    expect(flat(ranged)).toEqual(flat(await read(csvFiles(bundle))));
    // The central directory and local headers from one window, then one read per entry's data.
    expect(reads).toBeLessThanOrEqual(2 + 2 * 3);
  });

  const read = async (entries: { name: string; data: Buffer }[]): Promise<ReaderEvent[]> => {
    const path = join(dir, 'bundle.zip');
    await writeFile(path, zipOf(entries));
    const events: ReaderEvent[] = [];
    for await (const event of new CsvBundleReader(path, limits, 10).events()) events.push(event);
    return events;
  };
  /** The bundle's entries with `bytes` put into physical line `lineNo` of `name`. */
  const withBytes = (name: string, lineNo: number, bytes: number[]) =>
    csvFiles(bundle).map((entry) => {
      if (entry.name !== name) return entry;
      const lines = entry.data.toString('utf8').split('\n');
      const parts = lines.map((l, i) =>
        i + 1 === lineNo ? Buffer.concat([Buffer.from(l.slice(0, 2)), Buffer.from(bytes), Buffer.from(l.slice(2))]) : Buffer.from(l),
      );
      return { name, data: Buffer.concat(parts.flatMap((p, i) => (i === 0 ? [p] : [Buffer.from('\n'), p]))) };
    });

  it('reads the bundle as written', async () => {
    const events = await read(csvFiles(bundle));
    expect(countRanges).toBe(0);
    const values = events.flatMap((e) => (e.kind === 'rows' ? e.rows.map((r) => r.values) : []));
    expect(values).toHaveLength(rows.length);
    expect(values[1]).toEqual(['e1', 'two\nlines', null]);
    expect(events.at(-1)).toMatchObject({ kind: 'end', rowCounts: { equipment: rows.length } });
  });

  it.each([
    ['the header', 1],
    ['the first row', 2],
    ['the row after the two-line cell', 4],
    ['a row many chunks in', 15_001],
    ['the last row', rows.length + 1],
  ])('in %s', async (_name, lineNo) => {
    for (const bytes of [[0xe9], [0xc3, 0x28], [0xed, 0xa0, 0x80]]) {
      await expect(read(withBytes('equipment.csv', lineNo, bytes))).rejects.toThrow(`equipment.csv line ${lineNo}: not valid UTF-8`);
    }
  });

  it('in manifest.json', async () => {
    await expect(read(withBytes('manifest.json', 1, [0xe9]))).rejects.toThrow('manifest.json line 1: not valid UTF-8');
  });
});
