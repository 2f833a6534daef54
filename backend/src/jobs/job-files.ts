import { Inject, Injectable } from '@nestjs/common';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { STORAGE, type ByteRange, type Storage, type StoredObject, type StorageWriter } from '../storage/storage.js';
import { storageSource } from '../storage/storage-source.js';
import { UploadsInProgress } from '../storage/uploads-in-progress.js';
import type { BundleSource } from '../transfer/formats/bundle-source.js';

/**
 * The jobs' files (export files and uploads) in the storage layer's `jobs` area: DATA_DIR/jobs or
 * the bucket's `jobs/` prefix. Every name is reduced with `basename()` here, and the storage layer
 * refuses any name the code did not make, so no job file is ever opened outside its area.
 */
@Injectable()
export class JobFiles {
  constructor(
    @Inject(STORAGE) readonly storage: Storage,
    readonly uploads: UploadsInProgress,
  ) {}

  /** For messages: where the files live. */
  get where(): string {
    return this.storage.where('jobs');
  }

  writer(name: string): StorageWriter {
    return this.storage.createWriter('jobs', basename(name));
  }

  /** Size and time of the file when it is in storage, else null. */
  async stat(name: string | null): Promise<StoredObject | null> {
    if (!name) return null;
    return this.storage.stat('jobs', basename(name));
  }

  read(name: string, range?: ByteRange): Promise<Readable> {
    return this.storage.read('jobs', basename(name), range);
  }

  /** The file as the engine reads a bundle, or null when it is not in storage. */
  async source(name: string | null, jobId?: string): Promise<BundleSource | null> {
    // An upload still arriving in this process is read as it comes by the job started on it (docs/import.md).
    const arriving = name && jobId ? this.uploads.source(this.storage, 'jobs', basename(name), jobId) : null;
    if (arriving) return arriving;
    const found = await this.stat(name);
    return found && name ? storageSource(this.storage, 'jobs', basename(name), found.size) : null;
  }

  /** Idempotent: another instance may have removed it first. */
  async remove(name: string): Promise<void> {
    await this.storage.delete('jobs', basename(name));
  }
}
