import type { Readable, Writable } from 'node:stream';

/**
 * The one place files live (docs/storage.md): export files and uploads (`jobs`), backups
 * (`backups`). The app writes and reads streams through this interface and never knows which
 * driver is behind it: a local directory (`local-storage.ts`) or an S3-compatible bucket
 * (`s3-storage.ts`) that several instances share.
 */
export type StorageArea = 'jobs' | 'backups';
export type StorageDriver = 'local' | 's3';

export interface StoredObject {
  size: number;
  modified: Date;
}

/** Inclusive byte offsets, as HTTP Range and S3 count them. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface StorageWriter {
  /** Write the file into this stream and end it; it applies back-pressure, so memory stays flat. */
  readonly stream: Writable;
  /** After the stream has ended: resolves once the file is stored whole (s3: the multipart upload completed). */
  done(): Promise<{ size: number }>;
  /** Drops whatever was written (a failed or cancelled job); safe to call more than once. */
  abort(): Promise<void>;
}

export interface Storage {
  readonly driver: StorageDriver;
  /** Where an area's files live, for logs and messages: a directory, or s3://bucket/prefix/area/. */
  where(area: StorageArea): string;
  /** A new file. Visible to `read` and `stat` only once `done()` has resolved (s3) or the stream has ended (local). */
  createWriter(area: StorageArea, name: string): StorageWriter;
  /** The file's bytes (a range of them when given); throws StoredFileMissing when there is none. */
  read(area: StorageArea, name: string, range?: ByteRange): Promise<Readable>;
  /** Size and time of the file, or null when it is not there. */
  stat(area: StorageArea, name: string): Promise<StoredObject | null>;
  /** Idempotent: deleting a file that is already gone (another instance was first) is no error. */
  delete(area: StorageArea, name: string): Promise<void>;
  /** Start-up check that the storage can be reached and written to; throws a StorageConfigError naming the setting. */
  check(): Promise<void>;
}

export const STORAGE = Symbol('STORAGE');

export class StoredFileMissing extends Error {
  constructor(
    readonly area: StorageArea,
    readonly fileName: string,
  ) {
    super(`${fileName} was not found in storage (${area})`);
    this.name = 'StoredFileMissing';
  }
}

/**
 * File names are made by the code (export-<job id>.json, multer's random hex, backup names); this
 * refuses anything else before it reaches a path or a key, so no request can name a file outside
 * its area.
 */
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function checkedName(name: string): string {
  if (!FILE_NAME.test(name) || name.includes('..')) throw new Error(`Not a storage file name: ${JSON.stringify(name.slice(0, 80))}`);
  return name;
}
