import type { ByteRange } from './storage.js';

/**
 * One `Range: bytes=…` request header against a file of `size` bytes (RFC 9110 §14): the range
 * to send (206), 'unsatisfiable' (416), or null to send the whole file (no header, another unit,
 * several ranges, or a header that does not parse: a server may ignore those).
 */
export function parseRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (!header) return null;
  const match = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!match) return null;
  const [, first, last] = match;
  if (first === '' && last === '') return null;
  if (first === '') {
    // bytes=-N: the last N bytes.
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  if (last !== '' && Number(last) < start) return null; // invalid syntax: ignored
  if (start >= size) return 'unsatisfiable';
  const end = last === '' ? size - 1 : Number(last);
  return { start, end: Math.min(end, size - 1) };
}

/**
 * If-Range (RFC 9110 §13.1.5): the range applies only while the file is the one the client
 * started with. Stored files never change under their name, so the validator is the ETag made
 * here, or a date not older than the file.
 */
export function rangeStillApplies(ifRange: string | undefined, etag: string, modified: Date): boolean {
  if (!ifRange) return true;
  const value = ifRange.trim();
  if (value.startsWith('"') || value.startsWith('W/')) return value === etag;
  const date = Date.parse(value);
  return !Number.isNaN(date) && Math.floor(modified.getTime() / 1000) <= Math.floor(date / 1000);
}
