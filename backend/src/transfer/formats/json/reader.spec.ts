import { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { encodeJson, type LogicalBundle, manifestFor } from '../../../../test/support/bundle-builder.js';
import { BundleRejected } from '../../import/import-types.js';
import { JsonBundleReader } from './reader.js';
import type { ReaderEvent } from '../reader-types.js';

function chunked(data: Buffer, size: number): AsyncIterable<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += size) parts.push(data.subarray(i, i + size));
  return Readable.from(parts);
}

/** 7: every row goes through the tokenizer; 65536: whole exporter-style lines take the JSON.parse path. */
let chunkSize = 7;

async function read(data: Buffer | string, size = chunkSize): Promise<ReaderEvent[]> {
  const events: ReaderEvent[] = [];
  for await (const event of new JsonBundleReader(chunked(Buffer.from(data), size)).events()) events.push(event);
  return events;
}

const bundle: LogicalBundle = {
  manifest: manifestFor('global', [
    { name: 'equipment', columns: ['id', 'name', 'description'] },
    { name: 'exercises', columns: ['id', 'name', 'muscle_groups'] },
  ]),
  rows: {
    equipment: [
      { id: 'e1', name: 'Bar "bell" ☃', description: null },
      { id: 'e2', name: 'Line\nbreak', description: '' },
    ],
    exercises: [{ id: 'x1', name: 'Squat', muscle_groups: ['legs', 'full body'] }],
  },
  types: {},
};

// The chunk size decides the path: 1-64 bytes split rows (tokenizer), 65536 keeps lines whole (JSON.parse).
it.each([1, 3, 64, 65536])('JsonBundleReader streams manifest, rows in manifest order and the end, in chunks of %i bytes', async (bytes) => {
  const events = await read(encodeJson(bundle), bytes);
  expect(events[0]).toEqual({ kind: 'manifest', manifest: bundle.manifest });
  const rows = events.filter((e) => e.kind === 'rows');
  expect(rows.map((e) => e.kind === 'rows' && [e.table, e.rows.map((r) => r.values)])).toEqual([
    [
      'equipment',
      [
        ['e1', 'Bar "bell" ☃', null],
        ['e2', 'Line\nbreak', ''],
      ],
    ],
    ['exercises', [['x1', 'Squat', ['legs', 'full body']]]],
  ]);
  const end = events.at(-1)!;
  const hash = createHash('sha256');
  for (const table of bundle.manifest.tables) for (const row of bundle.rows[table.name]) hash.update(`${JSON.stringify(row)}\n`);
  const sha256 = hash.digest('hex');
  expect(end).toEqual({ kind: 'end', summary: { rowCounts: { equipment: 2, exercises: 1 }, sha256 }, sha256, rowCounts: { equipment: 2, exercises: 1 } });
});

describe.each([7, 65536])('JsonBundleReader, read in chunks of %i bytes', (size) => {
  beforeAll(() => {
    chunkSize = size;
  });

  it('parses JSON, not lines: a bundle on one line reads the same', async () => {
    const oneLine = JSON.stringify(JSON.parse(encodeJson(bundle).toString('utf8')));
    const events = await read(oneLine);
    expect(events.filter((e) => e.kind === 'rows').flatMap((e) => (e.kind === 'rows' ? e.rows : []))).toHaveLength(3);
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the key %s in a row, in the manifest and in data', async (key) => {
    const text = encodeJson(bundle).toString('utf8');
    await expect(read(text.replace('{"id":"e1",', `{"id":"e1","${key}":{"x":1},`))).rejects.toThrow(`"${key}" is not allowed`);
    await expect(read(text.replace('"format":', `"${key}":1,"format":`))).rejects.toThrow(`"${key}" is not allowed`);
    await expect(read(text.replace('"equipment":[', `"${key}":[],"equipment":[`))).rejects.toThrow(`"${key}" is not allowed`);
  });

  it('reports row-level problems without stopping: an unknown key, a duplicate key', async () => {
    const text = encodeJson(bundle)
      .toString('utf8')
      .replace('{"id":"e1","name":"Bar \\"bell\\" ☃","description":null}', '{"id":"e1","name":"A","description":null,"colour":"red"}')
      .replace('{"id":"e2","name":"Line\\nbreak","description":""}', '{"id":"e2","name":"B","name":"C"}');
    // The summary's hash no longer matches either: that is the engine's check, not the reader's.
    const events = await read(text);
    const flagged = events.flatMap((e) => (e.kind === 'rows' ? e.rows : [])).map((r) => r.problem?.message);
    expect(flagged[0]).toContain('"colour" is not a column of equipment');
    expect(flagged[1]).toContain('"name" appears twice');
    expect(flagged[2]).toBeUndefined();
  });

  it('reads a row spread over lines or with spaces the same as a compact one', async () => {
    const text = encodeJson(bundle)
      .toString('utf8')
      .replace('{"id":"e1","name":"Bar \\"bell\\" ☃","description":null}', '{ "id": "e1",\n"name": "Bar \\"bell\\" ☃", "description": null }');
    const events = await read(text);
    const rows = events.flatMap((e) => (e.kind === 'rows' ? e.rows : []));
    expect(rows.map((r) => [r.values, r.problem, r.where])).toEqual([
      [['e1', 'Bar "bell" ☃', null], undefined, 'line 4'],
      [['e2', 'Line\nbreak', ''], undefined, 'line 6'],
      [['x1', 'Squat', ['legs', 'full body']], undefined, 'line 9'],
    ]);
    expect(events.at(-1)).toMatchObject({ kind: 'end', sha256: (events.at(-1) as { summary: { sha256: string } }).summary.sha256 });
  });

  it('flags a row without one of the manifest columns', async () => {
    const text = encodeJson(bundle).toString('utf8').replace(',"muscle_groups":["legs","full body"]', '');
    const events = await read(text);
    expect(events.flatMap((e) => (e.kind === 'rows' ? e.rows : [])).at(-1)!.problem).toEqual({
      field: 'muscle_groups',
      message: expect.stringContaining('has no "muscle_groups" key'),
    });
  });

  it('hands a lone surrogate over unchanged (for the column check to refuse), never as U+FFFD; keeps a valid pair', async () => {
    const text = encodeJson(bundle)
      .toString('utf8')
      .replace('"name":"Bar \\"bell\\" ☃"', '"name":"\\udada"')
      .replace('"description":""', '"description":"\\ude00\\ud83d"')
      .replace('"name":"Squat"', '"name":"\\ud83d\\ude00 \\uD83D\\uDE00 😀"');
    const rows = (await read(text)).flatMap((e) => (e.kind === 'rows' ? e.rows : []));
    expect(rows.map((r) => [r.values, r.where, r.problem])).toEqual([
      [['e1', '\udada', null], 'line 4', undefined],
      [['e2', 'Line\nbreak', '\ude00\ud83d'], 'line 5', undefined],
      [['x1', '😀 😀 😀', ['legs', 'full body']], 'line 8', undefined],
    ]);
  });

  it.each([
    ['in a row', (t: string) => t.replace('{"id":"e1",', '{"id":"e1","\\udfaa":1,'), 'line 4: the key "\\udfaa" holds a lone surrogate \\udfaa'],
    ['in a row, as NUL', (t: string) => t.replace('{"id":"e1",', '{"id":"e1","a\\u0000":1,'), 'line 4: the key "a\\u0000" holds the NUL character'],
    ['as a table name', (t: string) => t.replace('"equipment":[', '"\\ud800":[],"equipment":['), 'line 3: the key "\\ud800" holds a lone surrogate'],
    ['in the manifest', (t: string) => t.replace('"format":', '"\\udada":1,"format":'), 'line 1: the key "\\udada" holds a lone surrogate'],
    [
      'as a manifest string',
      (t: string) => t.replace('"app":"rythm-data"', '"app":"rythm\\udada"'),
      'The manifest: the string "rythm\\udada" holds a lone surrogate',
    ],
    [
      'as a summary string',
      (t: string) => t.replace(/"sha256":"[0-9a-f]+"/, '"sha256":"\\u0000"'),
      'The summary: the string "\\u0000" holds the NUL character',
    ],
  ])('refuses a key or a manifest text that no report could hold (a lone surrogate, NUL) %s, with its line', async (_name, mutate, message) => {
    await expect(read(mutate(encodeJson(bundle).toString('utf8')))).rejects.toThrow(message);
  });

  it('flags a number that would be stored as another number, and reads exact ones in any notation', async () => {
    const numbers: LogicalBundle = {
      manifest: manifestFor('global', [{ name: 'sets', columns: ['id', 'reps'] }]),
      rows: {
        sets: ['1.0', '1E2', '-0', '123.456e-789', '1.00000000000000001', '12345678901234567890', '1e400', '0.5'].map((n, i) => ({ id: `s${i}`, reps: n })),
      },
      types: {},
    };
    // The builder writes the numbers as strings; unquoted, they are JSON numbers as written.
    const text = encodeJson(numbers)
      .toString('utf8')
      .replace(/"reps":"([^"]*)"/g, '"reps":$1');
    const rows = (await read(text)).flatMap((e) => (e.kind === 'rows' ? e.rows : []));
    expect(rows.map((r) => [r.values[1], r.problem?.message ?? null])).toEqual([
      [1, null],
      [100, null],
      [-0, null],
      [0, 'the number "123.456e-789" reads as 0, not as the number written: refused rather than stored changed'],
      [1, expect.stringContaining('"1.00000000000000001" reads as 1, not')],
      [12345678901234567000, expect.stringContaining('"12345678901234567890" reads as 12345678901234567000, not')],
      [Infinity, expect.stringContaining('"1e400" reads as Infinity')],
      [0.5, null], // not a whole number: the integer check refuses it, a decimal belongs in a string
    ]);
    expect(rows.filter((r) => r.problem).every((r) => r.problem!.field === 'reps')).toBe(true);
  });

  it.each([
    ['a truncated file', (t: string) => t.slice(0, t.length / 2), 'ends early'],
    ['a missing comma', (t: string) => t.replace('},\n{"id":"e2"', '}\n{"id":"e2"'), 'line 5: malformed JSON'],
    ['a comma after the last row', (t: string) => t.replace('"description":""}\n]', '"description":""},\n]'), 'line 6: malformed JSON'],
    ['tables out of manifest order', (t: string) => t.replace('"equipment":[', '"exercisesX":['), 'does not list'],
    ['a nested object in a row', (t: string) => t.replace('"description":null', '"description":{"a":1}'), 'expected a value for equipment.description'],
    ['text after the end', (t: string) => `${t}{}`, 'malformed JSON'],
    ['keys in another order', (t: string) => t.replace('{"manifest":', '{"summary":{},"manifest":'), 'expected the key "manifest"'],
    ['invalid UTF-8', (t: string) => t.replace('☃', '\uFFFD'), null],
  ])('refuses %s with its line', async (_name, mutate, message) => {
    const text = mutate(encodeJson(bundle).toString('utf8'));
    const data = message === null ? Buffer.concat([Buffer.from(text.slice(0, 20)), Buffer.from([0xc3, 0x28]), Buffer.from(text.slice(20))]) : Buffer.from(text);
    const outcome = read(data);
    await expect(outcome).rejects.toBeInstanceOf(BundleRejected);
    await expect(outcome).rejects.toThrow(message ?? 'not valid UTF-8');
  });
});

describe('JsonBundleReader names the line of bytes that are not UTF-8', () => {
  const text = encodeJson(bundle).toString('utf8');
  const lines = text.split('\n').slice(0, -1); // the file ends with a line break
  const bad = [[0xe9], [0xc3, 0x28], [0x80], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]];
  /** The bundle with `bytes` inside line `lineNo` (1-based), after its first `column` characters. */
  const withBytes = (lineNo: number, bytes: number[], column: number) =>
    Buffer.concat(
      lines.flatMap((l, i) => {
        const cut = Math.min(column, l.length);
        return i + 1 === lineNo ? [Buffer.from(l.slice(0, cut)), Buffer.from(bytes), Buffer.from(`${l.slice(cut)}\n`)] : [Buffer.from(`${l}\n`)];
      }),
    );

  // Sizes 1-7 put the bad bytes, and the 3-byte ☃ of line 4, across chunk boundaries.
  it.each([1, 2, 3, 5, 7, 64, 65536])('in chunks of %i bytes: on the first line, a middle line, the last line, and at a line end', async (size) => {
    const middle = lines.findIndex((l) => l.startsWith('{"id":"e2"')) + 1;
    for (const lineNo of [1, middle, lines.length]) {
      for (const bytes of bad) {
        for (const column of [0, 5, Infinity]) {
          await expect(read(withBytes(lineNo, bytes, column), size)).rejects.toThrow(`line ${lineNo}: not valid UTF-8`);
        }
      }
    }
  });

  it('says when the file ends inside a character', async () => {
    await expect(read(Buffer.concat([Buffer.from(text), Buffer.from([0xe2, 0x82])]), 3)).rejects.toThrow(
      `line ${lines.length + 1}: the file ends inside a UTF-8 character`,
    );
  });
});

describe('JsonBundleReader, rows as the exporter writes them (scanned, the tokenizer given one stand-in per run)', () => {
  const sets: LogicalBundle = {
    manifest: manifestFor('global', [{ name: 'sets', columns: ['id', 'reps', 'note', 'done'] }]),
    rows: {
      // Row 600 has an escape: it goes the JSON.parse way between scanned rows.
      sets: Array.from({ length: 1200 }, (_, i) => ({ id: `s${i}`, reps: i, note: i === 600 ? 'say "hi"' : i % 3 ? `n${i}` : null, done: i % 2 === 0 })),
    },
    types: {},
  };
  const text = encodeJson(sets).toString('utf8');

  it.each([65536, 1000, 7])('reads every row in column order with its line, hashed as written, in chunks of %i bytes', async (size) => {
    const events = await read(text, size);
    const rows = events.flatMap((e) => (e.kind === 'rows' ? e.rows : []));
    expect(rows.map((r) => r.values)).toEqual(sets.rows.sets.map((r) => [r.id, r.reps, r.note, r.done]));
    expect(rows[700].where).toBe('line 704');
    expect(rows.every((r) => r.problem === undefined)).toBe(true);
    const hash = createHash('sha256');
    for (const row of sets.rows.sets) hash.update(`${JSON.stringify(row)}\n`);
    expect(events.at(-1)).toMatchObject({ kind: 'end', sha256: hash.digest('hex'), rowCounts: { sets: 1200 } });
  });

  it.each([
    ['a missing comma between two rows', (t: string) => t.replace('},\n{"id":"s5",', '}\n{"id":"s5",'), 'line 9: malformed JSON'],
    ['a comma after the last row', (t: string) => t.replace(/}\n]/, '},\n]'), 'line 1204: malformed JSON'],
    ['two commas between rows', (t: string) => t.replace('},\n{"id":"s5",', '},,\n{"id":"s5",'), 'line 8: malformed JSON'],
  ])('refuses %s with its line', async (_name, mutate, message) => {
    const outcome = read(mutate(text), 65536);
    await expect(outcome).rejects.toBeInstanceOf(BundleRejected);
    await expect(outcome).rejects.toThrow(message);
  });
});
