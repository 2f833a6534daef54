import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pipeline } from 'node:stream/promises';
import type { ApiClient } from './api-client.js';
import { CliFailure } from './errors.js';

export interface Downloaded {
  path: string;
  sizeBytes: number;
  /** Of the file as written. */
  sha256: string;
}

/** The file name from Content-Disposition, reduced to a safe base name; null when absent or unusable. */
export function fileNameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header)?.[1];
  let name: string | undefined;
  if (extended) {
    try {
      name = decodeURIComponent(extended.trim());
    } catch {
      name = undefined;
    }
  }
  name ??= /filename\s*=\s*"([^"]*)"/.exec(header)?.[1] ?? /filename\s*=\s*([^;\s]+)/.exec(header)?.[1];
  return safeName(name);
}

/** A server-chosen name never picks the directory: base name only, no control characters, no dot files. */
export function safeName(name: string | null | undefined): string | null {
  if (!name) return null;
  const base = basename(name.replace(/\\/g, '/'))
    .replace(/[\x00-\x1f\x7f]/g, '')
    .trim();
  if (base === '' || base.startsWith('.')) return null;
  return base;
}

/**
 * Where to write: `--out` names a file, or a directory (existing, or ending in `/`) to put the
 * server's file name in; without `--out`, the current directory.
 */
export async function destinationFor(out: string | undefined, cwd: string, name: string): Promise<string> {
  if (!out) return join(cwd, name);
  const full = resolve(cwd, out);
  const isDir = out.endsWith('/') || out.endsWith(sep) || (await stat(full).catch(() => null))?.isDirectory() === true;
  return isDir ? join(full, name) : full;
}

/**
 * Streams a download to disk through `<file>.part`, renamed when complete, so an interrupted
 * download never leaves a file that looks whole.
 */
export async function download(
  client: ApiClient,
  path: string,
  options: { out?: string; cwd: string; fallbackName: string; onBytes?(done: number, total: number | null): void },
): Promise<Downloaded> {
  const response = await client.send('GET', path, { headers: { accept: 'application/octet-stream, */*' } });
  if (!response.body) throw new CliFailure(`The API sent an empty download for ${path}`);
  const name = fileNameFromDisposition(response.headers.get('content-disposition')) ?? options.fallbackName;
  const target = await destinationFor(options.out, options.cwd, name);
  await mkdir(dirname(target), { recursive: true });
  const partial = `${target}.part`;
  const lengthHeader = Number(response.headers.get('content-length'));
  const total = Number.isFinite(lengthHeader) && lengthHeader > 0 ? lengthHeader : null;
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    await pipeline(
      Readable.fromWeb(response.body as WebReadableStream<Uint8Array>),
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          hash.update(chunk);
          bytes += chunk.length;
          options.onBytes?.(bytes, total);
          yield chunk;
        }
      },
      // Bundles hold personal data unless anonymised: readable by the owner only.
      createWriteStream(partial, { mode: 0o600 }),
    );
    if (total !== null && bytes !== total) throw new CliFailure(`The download of ${name} stopped after ${bytes} of ${total} bytes: try again`);
    await rename(partial, target);
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  }
  return { path: target, sizeBytes: bytes, sha256: hash.digest('hex') };
}
