import type { Request, Response as ExpressResponse } from 'express';
import { Readable } from 'node:stream';
import type { ReadableStream } from 'node:stream/web';
import { AppException } from '../common/app-exception.js';
import { parseRange, rangeStillApplies } from './http-range.js';
import type { Storage, StorageArea, StoredObject } from './storage.js';

export interface StoredFileReply {
  area: StorageArea;
  /** The stored name (made by the code). */
  name: string;
  stat: StoredObject;
  contentType: string;
  /** What the browser saves it as. */
  downloadName: string;
  headers?: Record<string, string>;
}

/**
 * Streams a stored file through the API (no bucket is ever public; authorisation and audit stay
 * here) with HTTP Range, so a large download can resume: 206 with Content-Range, 416 when the
 * range lies past the end, the whole file otherwise. The route returns this web Response (its
 * status is the Response's, not the route's default); Nest streams it once the audit row is
 * written, as it would a StreamableFile.
 */
export async function storedFileResponse(storage: Storage, request: Request, response: ExpressResponse, file: StoredFileReply): Promise<Response> {
  const { size, modified } = file.stat;
  const etag = `"${file.name}-${size}"`;
  const asked = rangeStillApplies(request.get('if-range'), etag, modified) ? parseRange(request.get('range'), size) : null;
  response.setHeader('accept-ranges', 'bytes');
  if (asked === 'unsatisfiable') {
    response.setHeader('content-range', `bytes */${size}`);
    throw new AppException('RANGE_NOT_SATISFIABLE', `The range "${request.get('range')}" lies outside the file, which has ${size} bytes`);
  }
  const headers: Record<string, string> = {
    'content-type': file.contentType,
    'content-disposition': `attachment; filename="${file.downloadName}"`,
    etag,
    'last-modified': modified.toUTCString(),
    'content-length': String(asked ? asked.end - asked.start + 1 : size),
    ...(asked ? { 'content-range': `bytes ${asked.start}-${asked.end}/${size}` } : {}),
    ...file.headers,
  };
  // A file of no bytes has no range to read; any other is streamed from storage (s3: one GET).
  const body = size === 0 ? null : (Readable.toWeb(await storage.read(file.area, file.name, asked ?? undefined)) as ReadableStream<Uint8Array>);
  return new Response(body, { status: asked ? 206 : 200, headers });
}

/**
 * A file still being written (followStoredFile): no length, no range, no validator yet. Nest sends
 * the headers with the first chunk; if the body errors later the reply is destroyed, so the client
 * sees a cut transfer, never a short file that ended cleanly.
 */
export function growingFileResponse(file: { body: Readable; contentType: string; downloadName: string }): Response {
  return new Response(Readable.toWeb(file.body) as ReadableStream<Uint8Array>, {
    status: 200,
    headers: { 'content-type': file.contentType, 'content-disposition': `attachment; filename="${file.downloadName}"`, 'cache-control': 'no-store' },
  });
}
