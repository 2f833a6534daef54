import { isUtf8 } from 'node:buffer';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { reject } from '../import/import-types.js';

/**
 * Opens an uploaded bundle: detects gzip and zip by their magic bytes (never by the name) and the
 * JSON or SQL encoding by the first character, and streams the content with the decompression
 * limits applied while inflating, so a bomb stops at the limit instead of filling memory or disk.
 */
export type BundleEncoding = 'json' | 'sql' | 'csv';

export interface DecompressionLimits {
  maxDecompressedBytes: number;
  maxCompressionRatio: number;
}

/** Below this many bytes out, the ratio is not checked: tiny inputs compress absurdly well. */
export const RATIO_GRACE_BYTES = 1024 * 1024;
const CHUNK = 256 * 1024;

export interface OpenedBundle {
  encoding: BundleEncoding;
  compressed: boolean;
  /** JSON and SQL: the decompressed bytes. CSV: read the zip from `source` (random access). */
  chunks: AsyncIterable<Buffer> | null;
  source: BundleSource;
}

/**
 * Where a bundle's bytes come from: a local file, or the app's storage (an S3 object). JSON and
 * SQL bundles are read front to back in one stream; a CSV zip is read by ranges (its central
 * directory first, then each entry), so no reader needs a local copy (docs/storage.md).
 */
export interface BundleSource {
  /** For messages: what the bundle is (a file name, never a bucket's credentials). */
  readonly name: string;
  /** The bundle's size in bytes. */
  size(): Promise<number>;
  /** The bytes from `start` to `end` inclusive, or the whole bundle. */
  open(range?: { start: number; end: number }): Promise<Readable>;
  /** Set when the bundle is a local file: the zip reader then reads it directly. */
  readonly path?: string;
  /**
   * Set while the bundle still arrives (an upload the job reads as it comes): `size()` waits for
   * the whole, `open()` without a range follows it, a range waits until it is there.
   */
  readonly growing?: boolean;
}

/** A bundle given as a path or as a source. */
export type BundleInput = string | BundleSource;

export function fileSource(path: string): BundleSource {
  return {
    name: path,
    path,
    size: async () => (await stat(path)).size,
    open: (range) => Promise.resolve(createReadStream(path, { highWaterMark: CHUNK, ...(range ? { start: range.start, end: range.end } : {}) })),
  };
}

export const asBundleSource = (input: BundleInput): BundleSource => (typeof input === 'string' ? fileSource(input) : input);

const GZIP = [0x1f, 0x8b];
const ZIP = [0x50, 0x4b];

async function readHead(source: BundleSource, length: number): Promise<Buffer> {
  // A growing upload's size is known only at its end; its ranged read waits for the head instead.
  if (!source.growing && (await source.size()) === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for await (const chunk of await source.open({ start: 0, end: length - 1 })) parts.push(chunk as Buffer);
  return Buffer.concat(parts).subarray(0, length);
}

export async function openBundle(input: BundleInput, limits: DecompressionLimits): Promise<OpenedBundle> {
  const source = asBundleSource(input);
  const head = await readHead(source, 4);
  if (head.length === 0) throw reject('The file is empty: expected a RYTHM bundle (JSON, SQL, gzip or zip)');
  if (head[0] === ZIP[0] && head[1] === ZIP[1]) return { encoding: 'csv', compressed: true, chunks: null, source };
  const compressed = head[0] === GZIP[0] && head[1] === GZIP[1];
  const bytes = compressed ? gunzipWithLimits(source, limits) : plainChunks(source);
  const { encoding, chunks } = await sniffEncoding(bytes, compressed);
  return { encoding, compressed, chunks, source };
}

async function* plainChunks(source: BundleSource): AsyncGenerator<Buffer> {
  const stream = await source.open();
  try {
    for await (const chunk of stream) yield chunk as Buffer;
  } finally {
    stream.destroy();
  }
}

/** Counts bytes out of the inflater against the limits; `compressedSoFar` is the bytes read in. */
export class DecompressionGuard extends Transform {
  private out = 0;

  constructor(
    private readonly limits: DecompressionLimits,
    private readonly compressedSoFar: () => number,
    private readonly what: string,
  ) {
    super();
  }

  get bytesOut(): number {
    return this.out;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.out += chunk.length;
    const problem = checkDecompression(this.out, this.compressedSoFar(), this.limits, this.what);
    if (problem) callback(problem);
    else callback(null, chunk);
  }
}

/** The one place the size and ratio rules live (gzip and zip entries alike). */
export function checkDecompression(bytesOut: number, bytesIn: number, limits: DecompressionLimits, what: string) {
  if (bytesOut > limits.maxDecompressedBytes) {
    return reject(`${what} expands to more than ${Math.floor(limits.maxDecompressedBytes / 1048576)} MB (MAX_DECOMPRESSED_MB): refused`);
  }
  if (bytesOut > RATIO_GRACE_BYTES && bytesOut > limits.maxCompressionRatio * Math.max(bytesIn, 1)) {
    return reject(`${what} expands more than ${limits.maxCompressionRatio} times (MAX_COMPRESSION_RATIO): refused as a likely decompression bomb`);
  }
  return null;
}

class ByteCount extends Transform {
  bytes = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    callback(null, chunk);
  }
}

async function* gunzipWithLimits(source: BundleSource, limits: DecompressionLimits): AsyncGenerator<Buffer> {
  const file = await source.open();
  const counter = new ByteCount();
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  const guard = new DecompressionGuard(limits, () => counter.bytes, 'The gzip data');
  const done = pipeline(file, counter, gunzip, guard);
  done.catch(() => undefined); // surfaced through the iteration below
  try {
    for await (const chunk of guard) yield chunk as Buffer;
    await done;
  } catch (error) {
    throw asGzipError(error);
  } finally {
    file.destroy();
    gunzip.destroy();
    guard.destroy();
  }
}

function asGzipError(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return reject(`The gzip data is truncated or corrupt (${(error as Error).message}): nothing was imported`);
  }
  return error;
}

async function sniffEncoding(source: AsyncGenerator<Buffer>, compressed: boolean): Promise<{ encoding: 'json' | 'sql'; chunks: AsyncIterable<Buffer> }> {
  const seen: Buffer[] = [];
  let first: number | null = null;
  while (first === null) {
    const next = await source.next();
    if (next.done) break;
    seen.push(next.value);
    first = firstSignificantByte(Buffer.concat(seen));
  }
  const what = compressed ? 'The decompressed gzip content' : 'The file';
  if (first === null) throw reject(`${what} is empty: expected a RYTHM bundle`);
  let encoding: 'json' | 'sql';
  if (first === 0x7b) encoding = 'json';
  else if (first === 0x2d) encoding = 'sql';
  else {
    await source.return(undefined);
    throw reject(`${what} is not a RYTHM bundle: expected JSON ({...}), an SQL bundle (-- ...), gzip or a zip`);
  }
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* seen;
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await source.return(undefined);
    }
  }
  return { encoding, chunks: chunks() };
}

/** Skips a UTF-8 byte-order mark and whitespace. */
function firstSignificantByte(buffer: Buffer): number | null {
  let i = buffer[0] === 0xef && buffer[1] === 0xbb && buffer[2] === 0xbf ? 3 : 0;
  for (; i < buffer.length; i++) {
    const b = buffer[i];
    if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
  }
  return null;
}

/** Bytes that are not UTF-8. `newlines`: line breaks in the chunk before the byte where decoding failed. */
export class InvalidUtf8 extends Error {
  constructor(readonly newlines: number) {
    super('not valid UTF-8');
  }
}

/** What every reader says about bytes that are not UTF-8, after the line it names. */
export const NOT_UTF8 = 'not valid UTF-8 (a bundle is UTF-8 text; the bytes there may be Latin-1 or Windows-1252)';

const EMPTY = Buffer.alloc(0);

/**
 * A strict UTF-8 decoder for a stream of chunks: never a silent U+FFFD. When a chunk is not UTF-8
 * it finds the byte where decoding fails, so that readers name the line of the bad bytes rather
 * than the line their chunk began on. The search runs only on that error.
 */
export class Utf8Stream {
  /** An unfinished character at the end of the chunks so far, decoded with the next chunk. */
  private pending: Buffer = EMPTY;
  private started = false;

  decode(chunk: Buffer): string {
    // isUtf8 + toString (both simdutf) take half the time of a fatal TextDecoder.
    const input = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
    const tail = unfinishedTail(input.length >= 3 ? input.subarray(-3) : input);
    const whole = tail.length > 0 ? input.subarray(0, input.length - tail.length) : input;
    if (!isUtf8(whole)) throw new InvalidUtf8(newlinesBeforeError(this.pending, chunk));
    this.pending = tail;
    let text = whole.toString('utf8');
    if (!this.started && text.length > 0) {
      // As TextDecoder does: a byte-order mark at the very start is not text.
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  /** Throws InvalidUtf8 (no newlines: the error is at the end) when the input stops inside a character. */
  end(): void {
    if (this.pending.length > 0) throw new InvalidUtf8(0);
  }
}

/** The incomplete UTF-8 sequence `tail` (the last three bytes or fewer of the input) ends with; bad bytes are left to isUtf8. */
function unfinishedTail(tail: Buffer): Buffer {
  for (let back = 1; back <= tail.length; back++) {
    const byte = tail[tail.length - back];
    if (byte >= 0x80 && byte < 0xc0) continue; // a continuation byte: the lead is further back
    const size = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return size > back ? Buffer.from(tail.subarray(tail.length - back)) : EMPTY;
  }
  return EMPTY;
}

/**
 * Line breaks in `chunk` before the byte at which strict decoding of `pending + chunk` fails: the
 * shortest failing prefix, found by bisection (a prefix that fails makes every longer one fail).
 */
function newlinesBeforeError(pending: Buffer, chunk: Buffer): number {
  const bytes = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
  const fails = (length: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  let low = 1;
  let high = bytes.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (fails(middle)) high = middle;
    else low = middle + 1;
  }
  const bad = Math.max(0, low - 1 - pending.length);
  let newlines = 0;
  for (let i = chunk.indexOf(0x0a); i !== -1 && i < bad; i = chunk.indexOf(0x0a, i + 1)) newlines++;
  return newlines;
}
