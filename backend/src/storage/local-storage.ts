import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { StorageConfigError } from './storage-config-error.js';
import { type ByteRange, checkedName, type Storage, type StorageArea, type StoredObject, type StorageWriter, StoredFileMissing } from './storage.js';

/** The default driver: DATA_DIR/jobs and BACKUP_DIR on this instance's disk, as before storage existed. */
export class LocalStorage implements Storage {
  readonly driver = 'local' as const;

  constructor(private readonly roots: Record<StorageArea, string>) {}

  where(area: StorageArea): string {
    return this.roots[area];
  }

  private path(area: StorageArea, name: string): string {
    return join(this.roots[area], checkedName(name));
  }

  createWriter(area: StorageArea, name: string): StorageWriter {
    const path = this.path(area, name);
    // 'wx': a name is made once by the code; an existing file is never overwritten.
    const stream = createWriteStream(path, { flags: 'wx' });
    const closed = finished(stream);
    closed.catch(() => undefined); // surfaced by done()
    let aborted = false;
    return {
      stream,
      done: async () => {
        await closed;
        return { size: (await stat(path)).size };
      },
      abort: async () => {
        if (aborted) return;
        aborted = true;
        stream.destroy();
        await closed.catch(() => undefined);
        await rm(path, { force: true });
      },
    };
  }

  async read(area: StorageArea, name: string, range?: ByteRange): Promise<Readable> {
    const path = this.path(area, name);
    const stream = createReadStream(path, range ? { start: range.start, end: range.end, highWaterMark: 256 * 1024 } : { highWaterMark: 256 * 1024 });
    // Opening is asynchronous: wait for it, so a missing file is this call's error, not the reader's.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'ENOENT' ? new StoredFileMissing(area, name) : error));
    });
    return stream;
  }

  async stat(area: StorageArea, name: string): Promise<StoredObject | null> {
    try {
      const info = await stat(this.path(area, name));
      return info.isFile() ? { size: info.size, modified: info.mtime } : null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(area: StorageArea, name: string): Promise<void> {
    await rm(this.path(area, name), { force: true });
  }

  async check(): Promise<void> {
    for (const [area, dir] of Object.entries(this.roots)) {
      const setting = area === 'backups' ? 'BACKUP_DIR' : 'DATA_DIR';
      const probe = join(dir, `.rythm-write-check-${process.pid}`);
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(probe, 'ok');
        await unlink(probe);
      } catch (error) {
        throw new StorageConfigError(`${setting}: cannot write to ${dir} (${(error as Error).message})`);
      }
    }
  }
}
