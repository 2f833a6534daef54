import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { checkDecompression, openBundle, RATIO_GRACE_BYTES } from './bundle-source.js';
import { BundleRejected } from './import-types.js';

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
