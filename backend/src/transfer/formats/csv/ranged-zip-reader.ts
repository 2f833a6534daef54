import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { BundleSource } from '../bundle-source.js';

/** Small reads (the central directory, local headers) come from one window fetched at once. */
const WINDOW = 256 * 1024;

/**
 * yauzl's random access over a BundleSource's ranged reads (an S3 object): the central directory
 * and each entry's local header cost a ranged GET or two, each entry's data one streamed GET. No
 * local copy of the zip is made (docs/storage.md).
 */
export class RangedZipReader extends yauzl.RandomAccessReader {
  private window: { start: number; bytes: Buffer } | null = null;

  constructor(
    private readonly source: BundleSource,
    private readonly totalSize: number,
  ) {
    super();
  }

  /** yauzl's `end` is exclusive; the source's is inclusive. The stream is handed back at once and filled when the read opens. */
  override _readStreamForRange(start: number, end: number): Readable {
    const out = new PassThrough();
    this.source.open({ start, end: end - 1 }).then(
      (stream) => {
        stream.on('error', (error) => out.destroy(error));
        out.on('close', () => stream.destroy());
        stream.pipe(out);
      },
      (error: Error) => out.destroy(error),
    );
    return out;
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    if (length > WINDOW) return super.read(buffer, offset, length, position, callback);
    this.windowAt(position, length).then(
      (window) => {
        window.bytes.copy(buffer, offset, position - window.start, position - window.start + length);
        callback(null);
      },
      (error: Error) => callback(error),
    );
  }

  private async windowAt(position: number, length: number): Promise<{ start: number; bytes: Buffer }> {
    const cached = this.window;
    if (cached && position >= cached.start && position + length <= cached.start + cached.bytes.length) return cached;
    const end = Math.min(this.totalSize, position + WINDOW);
    const parts: Buffer[] = [];
    for await (const chunk of await this.source.open({ start: position, end: end - 1 })) parts.push(chunk as Buffer);
    const bytes = Buffer.concat(parts);
    if (bytes.length < length) throw new Error(`short read: ${bytes.length} of ${length} bytes at ${position}`);
    this.window = { start: position, bytes };
    return this.window;
  }
}
