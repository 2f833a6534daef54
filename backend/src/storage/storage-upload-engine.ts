import type { Request } from 'express';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { StorageEngine } from 'multer';
import type { Storage, StorageWriter } from './storage.js';
import type { UploadsInProgress } from './uploads-in-progress.js';

type MulterFile = Express.Multer.File & { stream: Readable & { truncated?: boolean } };

/** Set on the request by a route that can start its job while the file still arrives (import: EarlyImportInterceptor). */
export interface UploadStartHook {
  onUploadStart?: (fileName: string) => void;
}

/**
 * Multer's storage engine for uploads: the multipart body streams straight into storage (the jobs
 * area; s3: a multipart upload, part by part), never whole into memory or onto a local disk. The
 * name is 32 random hex digits: the client's file name never reaches storage.
 */
export class StorageUploadEngine implements StorageEngine {
  private readonly writers = new WeakMap<object, StorageWriter>();

  constructor(
    private readonly storage: Storage,
    private readonly uploads?: UploadsInProgress,
  ) {}

  _handleFile(request: Request & UploadStartHook, file: MulterFile, callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    const filename = randomBytes(16).toString('hex');
    // Named at once, so that multer's clean-up (_removeFile) finds it should the request abort mid-way.
    Object.assign(file, { filename, path: filename });
    const writer = this.storage.createWriter('jobs', filename);
    this.writers.set(file, writer);
    const failed = (why: string) => this.uploads?.fail(filename, `The upload ${why}: nothing was imported. Upload the bundle again`);
    // Past MAX_UPLOAD_MB busboy cuts the stream short: what was written is dropped, never stored as a bundle.
    file.stream.once('limit', () => {
      failed('was larger than MAX_UPLOAD_MB');
      void writer.abort();
    });
    // Only the local driver shows a file before it is whole, so only there can a job read it as it comes.
    if (this.uploads && this.storage.driver === 'local' && request.onUploadStart) {
      this.uploads.begin(filename);
      request.onUploadStart(filename);
    }
    pipeline(file.stream, writer.stream)
      .then(() => writer.done())
      .then(
        ({ size }) => {
          if (file.stream.truncated) {
            failed('was larger than MAX_UPLOAD_MB');
            return writer.abort().then(() => callback(new Error('upload cut at the size limit')));
          }
          this.uploads?.written(filename, size);
          callback(null, { filename, path: filename, size });
        },
        (error: unknown) => {
          failed(`was interrupted (${(error as Error).message})`);
          return writer.abort().then(() => callback(error));
        },
      );
  }

  _removeFile(_request: Request, file: MulterFile, callback: (error: Error | null) => void): void {
    this.uploads?.fail(file.filename, 'The upload request was refused: nothing was imported');
    const writer = this.writers.get(file);
    const removed = writer ? writer.abort() : this.storage.delete('jobs', file.filename);
    removed.then(
      () => callback(null),
      (error: Error) => callback(error),
    );
  }
}
