import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

/**
 * The bundle's one SHA-256 (docs/bundle-format.md "sha256"): fed the data of every table in
 * table order, exactly as the format encodes it. Writers and readers feed it while streaming.
 */
export class BundleHasher {
  private readonly hash: Hash = createHash('sha256');
  private digested: string | null = null;
  /** Bytes fed so far. */
  bytes = 0;

  update(chunk: string | Buffer): void {
    if (this.digested !== null) throw new Error('BundleHasher: update after digest');
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    this.bytes += buffer.length;
    this.hash.update(buffer);
  }

  /** Lower-case hex; may be called more than once (returns the same value). */
  digest(): string {
    this.digested ??= this.hash.digest('hex');
    return this.digested;
  }
}

/** A pass-through stream that feeds every chunk it passes to `hasher`. */
export function hashingPassThrough(hasher: BundleHasher): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      hasher.update(chunk);
      callback(null, chunk);
    },
  });
}

/** SHA-256 of one buffer or string, lower-case hex (file checksums, tests). */
export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
