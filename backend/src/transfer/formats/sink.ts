import { once } from 'node:events';
import { Transform, type TransformCallback, type Writable } from 'node:stream';

/** Writes to a stream and waits for `drain` when it is full, so memory stays flat. */
export async function writeWithBackPressure(stream: Writable, chunk: string | Buffer, signal?: AbortSignal): Promise<void> {
  if (chunk.length === 0) return;
  if (stream.destroyed) throw new Error('output stream was destroyed');
  if (!stream.write(chunk)) await once(stream, 'drain', { signal });
}

/** A pass-through that counts the bytes going through it (the file size, after compression). */
export class ByteCounter extends Transform {
  bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}
