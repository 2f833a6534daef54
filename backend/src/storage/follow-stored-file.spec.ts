import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { FollowedFileFailed, followStoredFile, type WriterState } from './follow-stored-file.js';
import { LocalStorage } from './local-storage.js';
import type { StorageWriter } from './storage.js';

/** A file written in steps on the local driver, followed as it grows; the writer's state is set by the test. */
describe('followStoredFile', () => {
  let dir: string;
  let storage: LocalStorage;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rythm-follow-'));
    storage = new LocalStorage({ jobs: dir, backups: dir });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (writer: StorageWriter, text: string) => {
    await new Promise<void>((resolve, reject) => writer.stream.write(text, (error) => (error ? reject(error) : resolve())));
  };
  /** Collects the stream, recording what had arrived at each of the test's checkpoints. */
  const collect = (stream: NodeJS.ReadableStream) => {
    const chunks: Buffer[] = [];
    const ended = new Promise<Buffer>((resolve, reject) => {
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => resolve(Buffer.concat(chunks)));
      stream.on('error', reject);
    });
    ended.catch(() => undefined);
    return { sofar: () => Buffer.concat(chunks).toString(), ended };
  };
  /** Follows `name` with the writer state the test sets through the returned `set`. */
  const follow = (name: string, initial: WriterState = { state: 'writing' }) => {
    let state = initial;
    const read = collect(followStoredFile(storage, 'jobs', name, () => Promise.resolve(state), { pollMs: 5 }));
    return { ...read, set: (next: WriterState) => (state = next) };
  };
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await sleep(10);
    expect(check()).toBe(true);
  };

  it('streams what is written while the writer goes on, and ends with every byte once it is done', async () => {
    const writer = storage.createWriter('jobs', 'growing.sql');
    await write(writer, 'first part;');
    const read = follow('growing.sql');
    await until(() => read.sofar() === 'first part;');
    await write(writer, 'second part;');
    await until(() => read.sofar() === 'first part;second part;');
    await write(writer, 'last part;');
    writer.stream.end();
    await writer.done();
    read.set({ state: 'done', size: 'first part;second part;last part;'.length });
    expect((await read.ended).toString()).toBe('first part;second part;last part;');
  });

  it('errors (never ends) when the writer fails, or when the size it reports is not what was read', async () => {
    const writer = storage.createWriter('jobs', 'failing.sql');
    await write(writer, 'some bytes');
    const failing = follow('failing.sql');
    await until(() => failing.sofar() === 'some bytes');
    failing.set({ state: 'failed', message: 'Export x failed while it was being downloaded' });
    await expect(failing.ended).rejects.toThrow(new FollowedFileFailed('Export x failed while it was being downloaded'));
    await writer.abort();

    const short = storage.createWriter('jobs', 'short.sql');
    short.stream.end('12345');
    await short.done();
    const mismatch = follow('short.sql', { state: 'done', size: 9 });
    await expect(mismatch.ended).rejects.toThrow('short.sql: 5 bytes were read, the writer wrote 9');
  });

  it('waits for a file that is not there yet (s3 shows an object only once it is whole)', async () => {
    const read = follow('later.json');
    await sleep(50);
    expect(read.sofar()).toBe('');
    const writer = storage.createWriter('jobs', 'later.json');
    writer.stream.end('{"whole":true}');
    await writer.done();
    read.set({ state: 'done', size: 14 });
    expect((await read.ended).toString()).toBe('{"whole":true}');
  });
});
