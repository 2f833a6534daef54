import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadConfig } from '../src/config/app-config.js';
import { LocalStorage } from '../src/storage/local-storage.js';
import { S3Storage } from '../src/storage/s3-storage.js';
import { StorageConfigError } from '../src/storage/storage-config-error.js';
import { createStorage } from '../src/storage/storage.module.js';
import { type Storage, StoredFileMissing } from '../src/storage/storage.js';
import { s3Env, startS3rver, type S3Server, TEST_BUCKET } from './support/test-storage.js';

const MiB = 1024 * 1024;

/** 20 MiB of bytes that differ from one offset to the next, made as they are read (never whole in memory). */
function pattern(size: number): Readable {
  let offset = 0;
  return new Readable({
    read() {
      if (offset >= size) return this.push(null);
      const chunk = Buffer.alloc(Math.min(256 * 1024, size - offset));
      for (let i = 0; i < chunk.length; i++) chunk[i] = (offset + i) % 251;
      offset += chunk.length;
      this.push(chunk);
    },
  });
}
const byteAt = (offset: number) => offset % 251;

async function bytesOf(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}

const s3Config = (endpoint: string, extra: Record<string, string> = {}) => loadConfig({ DATA_DIR: tmpdir(), ...s3Env(endpoint), ...extra }).storage;

describe('the storage drivers keep one contract (local directory, and S3 against s3rver)', () => {
  let s3: S3Server;
  let dir: string;
  const drivers: Record<'local' | 's3', () => Storage> = {} as never;
  beforeAll(async () => {
    s3 = await startS3rver();
    dir = await mkdtemp(join(tmpdir(), 'rythm-storage-'));
    const local = new LocalStorage({ jobs: join(dir, 'jobs'), backups: join(dir, 'backups') });
    await local.check();
    const remote = new S3Storage(s3Config(s3.endpoint) as Extract<ReturnType<typeof s3Config>, { driver: 's3' }>);
    await remote.check();
    drivers.local = () => local;
    drivers.s3 = () => remote;
  });
  afterAll(async () => {
    (drivers.s3?.() as S3Storage | undefined)?.destroy();
    await s3?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe.each(['local', 's3'] as const)('%s', (driver) => {
    const storage = () => drivers[driver]();

    it('streams a file larger than several multipart parts in, and reads it back whole and by ranges', async () => {
      const size = 20 * MiB + 12345;
      const writer = storage().createWriter('jobs', 'big.bin');
      await pipeline(pattern(size), writer.stream);
      expect(await writer.done()).toEqual({ size });
      const stat = await storage().stat('jobs', 'big.bin');
      expect(stat?.size).toBe(size);
      expect(Math.abs(stat!.modified.getTime() - Date.now())).toBeLessThan(60_000);

      let total = 0;
      let ok = true;
      for await (const chunk of await storage().read('jobs', 'big.bin')) {
        const bytes = chunk as Buffer;
        for (let i = 0; i < bytes.length; i += 4099) ok &&= bytes[i] === byteAt(total + i);
        total += bytes.length;
      }
      expect({ total, ok }).toEqual({ total: size, ok: true });

      const middle = await bytesOf(await storage().read('jobs', 'big.bin', { start: 9 * MiB - 3, end: 9 * MiB + 6 }));
      expect([...middle]).toEqual(Array.from({ length: 10 }, (_, i) => byteAt(9 * MiB - 3 + i)));
      const last = await bytesOf(await storage().read('jobs', 'big.bin', { start: size - 1, end: size - 1 }));
      expect([...last]).toEqual([byteAt(size - 1)]);
    });

    it('keeps the areas apart and says when a file is not there', async () => {
      const writer = storage().createWriter('backups', 'only-here.sql.gz');
      writer.stream.end('x');
      await writer.done();
      expect(await storage().stat('jobs', 'only-here.sql.gz')).toBeNull();
      await expect(storage().read('jobs', 'only-here.sql.gz')).rejects.toBeInstanceOf(StoredFileMissing);
      await expect(storage().read('jobs', 'never-written')).rejects.toThrow('never-written was not found in storage (jobs)');
    });

    it('deletes idempotently: twice, at once from two callers, and a file that never was', async () => {
      const writer = storage().createWriter('jobs', 'doomed.json');
      writer.stream.end('{}');
      await writer.done();
      await Promise.all([storage().delete('jobs', 'doomed.json'), storage().delete('jobs', 'doomed.json')]);
      await storage().delete('jobs', 'doomed.json');
      await storage().delete('jobs', 'never-was.json');
      expect(await storage().stat('jobs', 'doomed.json')).toBeNull();
    });

    it('leaves nothing behind when a write is aborted, before or after its end', async () => {
      const cut = storage().createWriter('jobs', 'cut.bin');
      cut.stream.write(Buffer.alloc(MiB));
      await cut.abort();
      await cut.abort();
      const ended = storage().createWriter('jobs', 'ended.bin');
      ended.stream.end('done');
      await ended.done();
      await ended.abort();
      expect(await storage().stat('jobs', 'cut.bin')).toBeNull();
      expect(await storage().stat('jobs', 'ended.bin')).toBeNull();
    });

    it('refuses a name the code did not make (a path, a dot file)', () => {
      for (const name of ['../escape', 'a/b', '.hidden', '']) expect(() => storage().createWriter('jobs', name)).toThrow(/Not a storage file name/);
    });
  });

  describe('start-up check of the s3 driver', () => {
    it('stops on a bucket that does not exist, naming S3_BUCKET', async () => {
      const config = loadConfig({ DATA_DIR: dir, ...s3Env(s3.endpoint, 'no-such-bucket') });
      const failed = await createStorage(config).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(StorageConfigError);
      expect((failed as Error).message).toMatch(
        /^S3_BUCKET: the bucket "no-such-bucket" cannot be reached at http:\/\/127\.0\.0\.1:\d+ \(S3_ENDPOINT\).*does not exist/,
      );
    });

    it('stops on an endpoint where nothing answers, naming S3_BUCKET and S3_ENDPOINT', async () => {
      const port = await new Promise<number>((resolve) => {
        const server = createServer().listen(0, '127.0.0.1', () => {
          const { port: free } = server.address() as { port: number };
          server.close(() => resolve(free));
        });
      });
      const config = loadConfig({ DATA_DIR: dir, ...s3Env(`http://127.0.0.1:${port}`, TEST_BUCKET) });
      const failed = await createStorage(config).catch((error: unknown) => error);
      expect(failed).toBeInstanceOf(StorageConfigError);
      expect((failed as Error).message).toContain(`S3_BUCKET: the bucket "${TEST_BUCKET}" cannot be reached at http://127.0.0.1:${port} (S3_ENDPOINT)`);
    });
  });
});
