import { randomBytes } from 'node:crypto';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { StorageConfig } from '../config/app-config.js';
import { StorageConfigError } from './storage-config-error.js';
import { type ByteRange, checkedName, type Storage, type StorageArea, type StoredObject, type StorageWriter, StoredFileMissing } from './storage.js';

type S3Settings = Extract<StorageConfig, { driver: 's3' }>;

/**
 * Multipart parts of 8 MiB, four in flight: a transfer holds at most about five parts (40 MiB)
 * whatever the file's size, and a 2 GB upload is 256 parts (S3 allows 10,000). Two in flight
 * stalled the export while both parts were on the wire (42 MB to s3rver: 750 ms against 500 ms).
 */
export const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

/** Counts the bytes on their way to the upload: the stored size without a HEAD afterwards. */
class ByteCounter extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

/**
 * Any S3-compatible store (AWS S3, MinIO, R2, Ceph RGW, GCS interop) through the v3 SDK. Keys are
 * `<S3_PREFIX><area>/<name>`. Credentials come from the SDK's default chain (environment, shared
 * files, instance or task roles), never from this app's configuration.
 */
export class S3Storage implements Storage {
  readonly driver = 's3' as const;
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint ?? undefined,
      forcePathStyle: settings.forcePathStyle,
      // Checksums only where the operation requires them: several S3-compatible stores refuse
      // or ignore the newer CRC trailers; integrity is covered by the bundle's sha256 anyway.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  where(area: StorageArea): string {
    return `s3://${this.settings.bucket}/${this.settings.prefix}${area}/`;
  }

  private key(area: StorageArea, name: string): string {
    return `${this.settings.prefix}${area}/${checkedName(name)}`;
  }

  createWriter(area: StorageArea, name: string): StorageWriter {
    const key = this.key(area, name);
    const counter = new ByteCounter({ highWaterMark: 1024 * 1024 });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.settings.bucket, Key: key, Body: counter },
      partSize: PART_SIZE,
      queueSize: PARTS_IN_FLIGHT,
      leavePartsOnError: false,
    });
    const uploaded = upload.done();
    // A failed upload stops the writer too, instead of leaving it waiting on back-pressure.
    uploaded.catch((error: unknown) => counter.destroy(error instanceof Error ? error : new Error(String(error))));
    let aborted = false;
    return {
      stream: counter,
      done: async () => {
        await uploaded;
        return { size: counter.bytes };
      },
      abort: async () => {
        if (aborted) return;
        aborted = true;
        counter.destroy();
        await upload.abort().catch(() => undefined);
        await uploaded.catch(() => undefined);
        // The upload may have completed just before the abort: the object goes too.
        await this.delete(area, name);
      },
    };
  }

  async read(area: StorageArea, name: string, range?: ByteRange): Promise<Readable> {
    try {
      const answer = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.key(area, name), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      // In Node the SDK's body is an http.IncomingMessage: a Readable that streams from the socket.
      return answer.Body as Readable;
    } catch (error) {
      if (isMissing(error)) throw new StoredFileMissing(area, name);
      throw error;
    }
  }

  async stat(area: StorageArea, name: string): Promise<StoredObject | null> {
    try {
      const head = await this.client.send(new HeadObjectCommand({ Bucket: this.settings.bucket, Key: this.key(area, name) }));
      return { size: head.ContentLength ?? 0, modified: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(area: StorageArea, name: string): Promise<void> {
    try {
      // S3 answers 204 for a key that is not there: two instances deleting one object both succeed.
      await this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.key(area, name) }));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  /** Reachable (HeadBucket) and writable (a probe object put and deleted), or a message naming the setting. */
  async check(): Promise<void> {
    const { bucket, endpoint, region, prefix } = this.settings;
    const at = `${endpoint ?? 'AWS S3'} (S3_ENDPOINT), region ${region} (S3_REGION)`;
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: bucket }));
    } catch (error) {
      const status = (error as S3ServiceException).$metadata?.httpStatusCode;
      const why =
        (error as Error).name === 'CredentialsProviderError'
          ? 'no credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or give the instance a role'
          : status === 404
            ? 'the bucket does not exist'
            : status === 403
              ? 'access is denied: check the credentials (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, AWS_PROFILE or the instance role)'
              : describe(error);
      throw new StorageConfigError(`S3_BUCKET: the bucket "${bucket}" cannot be reached at ${at}: ${why}`);
    }
    const probe = `${prefix}.rythm-write-check-${randomBytes(6).toString('hex')}`;
    try {
      await this.client.send(new PutObjectCommand({ Bucket: bucket, Key: probe, Body: 'ok' }));
      await this.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: probe }));
    } catch (error) {
      throw new StorageConfigError(
        `S3_BUCKET: the bucket "${bucket}" at ${at} cannot be written to under S3_PREFIX "${prefix}" (${describe(error)}): the credentials need s3:PutObject, s3:GetObject and s3:DeleteObject there`,
      );
    }
  }

  destroy(): void {
    this.client.destroy();
  }
}

function isMissing(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || (error as S3ServiceException).$metadata?.httpStatusCode === 404;
}

function describe(error: unknown): string {
  const e = error as Error & { code?: string; $metadata?: { httpStatusCode?: number } };
  const status = e.$metadata?.httpStatusCode;
  return [e.name !== 'Error' ? e.name : null, e.code, status ? `HTTP ${status}` : null, e.message].filter(Boolean).join(': ');
}
