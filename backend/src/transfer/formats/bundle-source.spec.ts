import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkDecompression, InvalidUtf8, openBundle, RATIO_GRACE_BYTES, Utf8Stream } from './bundle-source.js';
import { BundleRejected } from '../import/import-types.js';

const limits = { maxDecompressedBytes: 8 * 1024 * 1024, maxCompressionRatio: 100 };

describe('openBundle (format detection and decompression limits)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rythm-source-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const file = async (name: string, data: Buffer | string) => {
    const path = join(dir, name);
    await writeFile(path, data);
    return path;
  };
  const drain = async (chunks: AsyncIterable<Buffer> | null) => {
    let n = 0;
    for await (const chunk of chunks!) n += chunk.length;
    return n;
  };

  it('detects gzip, zip, JSON and SQL by content, whatever the name', async () => {
    expect((await openBundle(await file('a.sql', gzipSync('  {"x":1}')), limits)).encoding).toBe('json');
    expect((await openBundle(await file('b.json', gzipSync('-- RYTHM')), limits)).encoding).toBe('sql');
    expect((await openBundle(await file('c.txt', Buffer.from([0x50, 0x4b, 3, 4])), limits)).encoding).toBe('csv');
    const plain = await openBundle(await file('d.gz', '\ufeff{"manifest":{}}'), limits);
    expect([plain.encoding, plain.compressed]).toEqual(['json', false]);
    expect(await drain(plain.chunks)).toBeGreaterThan(0);
  });

  it('refuses empty files and anything that is not a bundle', async () => {
    await expect(openBundle(await file('e', ''), limits)).rejects.toThrow(/empty/);
    await expect(openBundle(await file('f', 'SELECT 1;'), limits)).rejects.toThrow(/not a RYTHM bundle/);
    await expect(openBundle(await file('g', gzipSync('')), limits)).rejects.toThrow(/empty/);
  });

  it('stops inflating at the size limit, and at the ratio limit', async () => {
    const big = await openBundle(await file('h.gz', gzipSync(Buffer.concat([Buffer.from('{'), Buffer.alloc(32 * 1024 * 1024, 0x20)]))), {
      ...limits,
      maxCompressionRatio: 1_000_000,
    });
    await expect(drain(big.chunks)).rejects.toThrow(/more than 8 MB/);
    const dense = await openBundle(await file('i.gz', gzipSync(Buffer.concat([Buffer.from('{'), Buffer.alloc(4 * 1024 * 1024, 0x20)]))), limits);
    await expect(drain(dense.chunks)).rejects.toThrow(/more than 100 times/);
  });

  it('reports a truncated gzip as such', async () => {
    const whole = gzipSync(Buffer.from(`{"a":"${'x'.repeat(100000)}"}`));
    const cut = await openBundle(await file('j.gz', whole.subarray(0, whole.length - 10)), limits);
    await expect(drain(cut.chunks)).rejects.toBeInstanceOf(BundleRejected);
  });

  it('does not apply the ratio below the grace size (small files compress very well)', () => {
    expect(checkDecompression(RATIO_GRACE_BYTES, 1, limits, 'x')).toBeNull();
    expect(checkDecompression(RATIO_GRACE_BYTES + 1, 1, limits, 'x')).toBeInstanceOf(BundleRejected);
  });
});

describe('Utf8Stream (strict decoding that can say where the bad bytes are)', () => {
  /** Decodes `data` in chunks of `size`; returns the text, or the line (1-based) of the first bad byte. */
  const decodeIn = (data: Buffer, size: number): { text: string } | { line: number } => {
    const utf8 = new Utf8Stream();
    let text = '';
    try {
      for (let i = 0; i < data.length; i += size) text += utf8.decode(data.subarray(i, i + size));
      utf8.end();
      return { text };
    } catch (error) {
      if (!(error instanceof InvalidUtf8)) throw error;
      return { line: 1 + (text.match(/\n/g)?.length ?? 0) + error.newlines };
    }
  };
  const sample = 'ab☃\nÿ😀x\n\n€ end\nlast';
  const lineAt = (offset: number) => 1 + (Buffer.from(sample).subarray(0, offset).toString('utf8').match(/\n/g)?.length ?? 0);

  it('drops a byte-order mark at the very start only, as TextDecoder does, whatever the chunk size', () => {
    const data = Buffer.from('\ufeffab\ufeffc');
    for (const size of [1, 2, 3, 4, 1000]) expect(decodeIn(data, size)).toEqual({ text: 'ab\ufeffc' });
  });

  it('decodes valid UTF-8 exactly, whatever the chunk size (characters split across chunks)', () => {
    for (const size of [1, 2, 3, 4, 5, 1000]) expect(decodeIn(Buffer.from(sample), size)).toEqual({ text: sample });
  });

  it.each([
    ['a Latin-1 é', [0xe9]],
    ['a lead byte before ASCII', [0xc3, 0x28]],
    ['a lone continuation byte', [0x80]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['an encoded surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a character cut short', [0xe2, 0x82]],
    ['0xFF', [0xff]],
  ])('names the line of %s at every position and chunk size', (_name, bad) => {
    const bytes = Buffer.from(sample);
    for (let at = 0; at <= bytes.length; at++) {
      // Only between characters: inside one, the bytes before would be the bad ones.
      if (at < bytes.length && (bytes[at] & 0xc0) === 0x80) continue;
      const data = Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]);
      for (const size of [1, 2, 3, 4, 5, 7, 1000]) {
        const got = decodeIn(data, size);
        // Cut short at the very end, the error comes from end(), after the last line.
        expect({ at, size, got }).toEqual({ at, size, got: { line: lineAt(at) } });
      }
    }
  });
});
