import { Readable } from 'node:stream';
import { encodeSql, type LogicalBundle, manifestFor } from '../../../../test/support/bundle-builder.js';
import { BundleRejected } from '../../import/import-types.js';
import type { ReaderEvent } from '../reader-types.js';
import { SqlBundleReader } from './reader.js';

function chunked(data: Buffer, size: number): AsyncIterable<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

async function read(data: Buffer | string, size = 5): Promise<ReaderEvent[]> {
  const events: ReaderEvent[] = [];
  for await (const event of new SqlBundleReader(chunked(Buffer.from(data), size)).events()) events.push(event);
  return events;
}

const bundle: LogicalBundle = {
  manifest: manifestFor('global', [
    { name: 'equipment', columns: ['id', 'name', 'description'] },
    { name: 'exercises', columns: ['id', 'name', 'muscle_groups'] },
  ]),
  rows: {
    equipment: [
      { id: 'e1', name: 'Tab\there', description: null },
      { id: 'e2', name: 'Back\\slash ☃', description: '' },
    ],
    exercises: [],
  },
  types: { equipment: { id: 'uuid', name: 'text', description: 'text' }, exercises: { id: 'uuid', name: 'text', muscle_groups: 'text[]' } },
};
const text = encodeSql(bundle).toString('utf8');
const lines = text.split('\n');
const lineOf = (prefix: string) => lines.findIndex((l) => l.startsWith(prefix)) + 1;

describe('SqlBundleReader (the exporter dialect only; never executed)', () => {
  it.each([1, 4, 4096])('reads the manifest, the COPY rows unescaped, and the summary, in chunks of %i bytes', async (size) => {
    const events = await read(text, size);
    expect(events[0]).toEqual({ kind: 'manifest', manifest: bundle.manifest });
    expect(events.filter((e) => e.kind === 'rows').flatMap((e) => (e.kind === 'rows' ? e.rows.map((r) => r.values) : []))).toEqual([
      ['e1', 'Tab\there', null],
      ['e2', 'Back\\slash ☃', ''],
    ]);
    const end = events.at(-1)!;
    expect(end.kind === 'end' && end.sha256 === end.summary.sha256 && end.rowCounts).toEqual({ equipment: 2, exercises: 0 });
  });

  it.each([
    [
      'another statement between blocks',
      (t: string) => t.replace('\\.\nCOPY "exercises"', '\\.\nDROP TABLE users;\nCOPY "exercises"'),
      `line ${lineOf('COPY "exercises"')}: expected COPY`,
    ],
    [
      'a statement hidden in the header',
      (t: string) => t.replace('BEGIN;', "SET role = 'postgres';\nBEGIN;"),
      `line ${lineOf('BEGIN;')}: expected one of the fixed SET lines`,
    ],
    ['a SET line twice', (t: string) => t.replace('BEGIN;', "SET TimeZone = 'UTC';\nBEGIN;"), 'expected one of the fixed SET lines'],
    ['COPY into a table the manifest does not list', (t: string) => t.replace('COPY "exercises"', 'COPY "users"'), 'which the manifest does not list'],
    [
      'COPY with other columns',
      (t: string) => t.replace('COPY "exercises" ("id", "name", "muscle_groups")', 'COPY "exercises" ("id", "name")'),
      'the manifest lists (id, name, muscle_groups)',
    ],
    ['COPY FROM a file', (t: string) => t.replace('FROM stdin;', "FROM '/etc/passwd';"), 'expected COPY'],
    ['a second manifest', (t: string) => t.replace('BEGIN;', `-- manifest: {}\nBEGIN;`), 'expected one of the fixed SET lines'],
    ['text after the summary', (t: string) => `${t}SELECT 1;\n`, 'expected nothing after the summary'],
    ['a file cut inside COPY data', (t: string) => t.slice(0, t.indexOf('e2') + 3), 'the file ends inside the COPY data of equipment'],
    ['a file without COMMIT', (t: string) => t.slice(0, t.indexOf('COMMIT;')), 'ends before COMMIT'],
    ['no manifest', (t: string) => t.replace(/-- manifest: .*\n/, ''), 'expected the header comments'],
  ])('refuses %s, with the line number', async (_name, mutate, message) => {
    const outcome = read(mutate(text));
    await expect(outcome).rejects.toBeInstanceOf(BundleRejected);
    await expect(outcome).rejects.toThrow(message);
  });

  it.each([1, 4, 4096])('names the line of bytes that are not UTF-8: first, a COPY data line, the last (chunks of %i bytes)', async (size) => {
    const withBytes = (lineNo: number, bytes: number[]) =>
      Buffer.concat(
        lines
          .map((l, i) => (i + 1 === lineNo ? Buffer.concat([Buffer.from(l.slice(0, 3)), Buffer.from(bytes), Buffer.from(l.slice(3))]) : Buffer.from(l)))
          .flatMap((b, i) => (i < lines.length - 1 ? [b, Buffer.from('\n')] : [b])),
      );
    const data = lineOf('e2');
    const last = lines.length - 1; // the summary; the file ends with a line break
    for (const bytes of [[0xe9], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82]]) {
      await expect(read(withBytes(1, bytes), size)).rejects.toThrow(`line 1: not valid UTF-8`);
      await expect(read(withBytes(data, bytes), size)).rejects.toThrow(`line ${data}: not valid UTF-8`);
      await expect(read(withBytes(last, bytes), size)).rejects.toThrow(`line ${last}: not valid UTF-8`);
    }
    const unterminated = Buffer.concat([Buffer.from(text.slice(0, -1)), Buffer.from([0xe9])]);
    await expect(read(unterminated, size)).rejects.toThrow(`line ${last}: not valid UTF-8`);
  });

  it('skips a byte-order mark at the start of the file only; inside, U+FEFF is text like any other', async () => {
    const events = await read(`\ufeff${text.replace('e1\tTab', '\ufeffe1\tTab')}`);
    expect(events.flatMap((e) => (e.kind === 'rows' ? e.rows.map((r) => r.values[0]) : []))).toEqual(['\ufeffe1', 'e2']);
  });

  it('flags a data line with the wrong number of fields as a row problem, keeping its id', async () => {
    const events = await read(text.replace('e1\tTab\\there\t\\N', 'e1\tTab\\there'));
    const row = events.flatMap((e) => (e.kind === 'rows' ? e.rows : []))[0];
    expect(row.values[0]).toBe('e1');
    expect(row.problem?.message).toContain('expected 3 tab-separated fields');
    expect(row.where).toBe(`line ${lineOf('e1')}`);
  });
});
