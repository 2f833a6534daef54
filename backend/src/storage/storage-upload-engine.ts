import type { Request } from 'express';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StorageEngine } from 'multer';
import type { Storage, StorageWriter } from './storage.js';

type MulterFile = Express.Multer.File & { stream: Readable & { truncated?: boolean } };

/**
 * Multer's storage engine for uploads: the multipart body streams straight into storage (the jobs
 * area; s3: a multipart upload, part by part), never whole into memory or onto a local disk. The
 * name is 32 random hex digits: the client's file name never reaches storage.
 */
export class StorageUploadEngine implements StorageEngine {
  private readonly writers = new WeakMap<object, StorageWriter>();

  constructor(private readonly storage: Storage) {}

  _handleFile(_request: Request, file: MulterFile, callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    const filename = randomBytes(16).toString('hex');
    // Named at once, so that multer's clean-up (_removeFile) finds it should the request abort mid-way.
    Object.assign(file, { filename, path: filename });
    const writer = this.storage.createWriter('jobs', filename);
    this.writers.set(file, writer);
    // Past MAX_UPLOAD_MB busboy cuts the stream short: what was written is dropped, never stored as a bundle.
    file.stream.once('limit', () => void writer.abort());
    pipeline(file.stream, writer.stream)
      .then(() => writer.done())
      .then(
        ({ size }) =>
          file.stream.truncated
            ? writer.abort().then(() => callback(new Error('upload cut at the size limit')))
            : callback(null, { filename, path: filename, size }),
        (error: unknown) => writer.abort().then(() => callback(error)),
      );
  }

  _removeFile(_request: Request, file: MulterFile, callback: (error: Error | null) => void): void {
    const writer = this.writers.get(file);
    const removed = writer ? writer.abort() : this.storage.delete('jobs', file.filename);
    removed.then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }
}
