import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import type { PlannedTable } from '../../export/export-plan.js';
import { JsonBundleWriter, withCommas } from './writer.js';

class Memory extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk);
    callback();
  }
}

const table = (type = 'text') => ({ spec: { name: 'sets' }, columns: [{ spec: { type } }] }) as unknown as PlannedTable;

/** COPY text of row_to_json lines: COPY doubles each backslash. */
const copyText = (rows: object[]) => rows.map((r) => `${JSON.stringify(r).replace(/\\/g, '\\\\')}\n`).join('');

async function written(rows: object[], chunkSize: number, type?: string) {
  const out = new Memory();
  const writer = new JsonBundleWriter(out, { format: 'json', compress: false });
  const data = Buffer.from(copyText(rows));
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  const seen = await writer.writeTable(table(type), true, Readable.from(chunks), () => undefined);
  return { seen, text: Buffer.concat(out.chunks).toString('utf8'), sha256: writer.hasher.digest() };
}

describe('JsonBundleWriter.writeTable', () => {
  const rows = Array.from({ length: 40 }, (_, i) => ({ id: `r${i}`, note: i % 7 === 3 ? 'a \\ backslash and "quotes"' : `plain ☃ ${i}` }));
  const expected = `"sets":[\n${rows.map((r) => JSON.stringify(r)).join(',\n')}\n]\n`;
  const sha256 = createHash('sha256')
    .update(rows.map((r) => `${JSON.stringify(r)}\n`).join(''))
    .digest('hex');

  // Small chunks split rows and characters, and mix blocks with and without a backslash.
  it.each([1, 5, 37, 100, 1 << 16])(
    'writes the rows with commas between them and hashes them as JSON.stringify wrote them, in chunks of %i bytes',
    async (size) => {
      await expect(written(rows, size)).resolves.toEqual({ seen: 40, text: expected, sha256 });
    },
  );

  it('writes an empty table as an empty array', async () => {
    await expect(written([], 10)).resolves.toMatchObject({ seen: 0, text: '"sets":[\n]\n' });
  });

  it('re-serialises a table with a jsonb column', async () => {
    const out = await written([{ id: 'a', data: { x: 1 } }], 1 << 16, 'jsonb');
    expect(out.text).toBe('"sets":[\n{"id":"a","data":{"x":1}}\n]\n');
  });
});

describe('withCommas', () => {
  it('puts a comma after the pending row and after every line of the block but its last', () => {
    const { out, last } = withCommas(Buffer.from('p'), Buffer.from('a\nbb\nc\n'), 3);
    expect([out.toString(), last.toString()]).toEqual(['p,\na,\nbb,\n', 'c']);
  });

  it('holds a one-line block back whole', () => {
    const { out, last } = withCommas(null, Buffer.from('a\n'), 1);
    expect([out.toString(), last.toString()]).toEqual(['', 'a']);
  });
});
