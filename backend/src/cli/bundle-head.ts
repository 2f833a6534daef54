import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { constants as zlibConstants, createGunzip, inflateRawSync } from 'node:zlib';
import type { BundleManifest } from '../shared/api-types.js';

/** A manifest is a few kB; never read more than this looking for it. */
const MAX_HEAD = 1024 * 1024;

/**
 * Reads the manifest at the start of a bundle (docs/bundle-format.md), for defaults and a summary
 * before upload: JSON and SQL, gzipped or not, and the first entry of a CSV zip. Best effort:
 * null when the file is something else; the server does the real checking.
 */
export async function readManifest(path: string): Promise<BundleManifest | null> {
  try {
    const magic = await readStart(path, 4);
    if (magic[0] === 0x50 && magic[1] === 0x4b && magic[2] === 0x03 && magic[3] === 0x04) return await zipManifest(path);
    const head = await readHeadText(path, magic[0] === 0x1f && magic[1] === 0x8b);
    return manifestFromText(head);
  } catch {
    return null;
  }
}

/** The manifest from the first lines of a JSON (`{"manifest":{…},`) or SQL (`-- manifest: {…}`) bundle. */
export function manifestFromText(head: string): BundleManifest | null {
  const json = /^\s*\{\s*"manifest"\s*:\s*(.*?),?\s*$/m.exec(head.split('\n', 1)[0]);
  const sql = /^--\s*manifest:\s*(.*)$/m.exec(head);
  const text = json?.[1] ?? sql?.[1];
  if (!text) return null;
  try {
    const manifest = JSON.parse(text) as BundleManifest;
    return manifest?.format === 'rythm-bundle' ? manifest : null;
  } catch {
    return null;
  }
}

async function readStart(path: string, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Text from the start of the file until the second line is complete (enough for either format). */
async function readHeadText(path: string, gzipped: boolean): Promise<string> {
  const file = createReadStream(path, { end: gzipped ? undefined : MAX_HEAD });
  const source = gzipped ? file.pipe(createGunzip()) : file;
  let text = '';
  try {
    for await (const chunk of source) {
      text += (chunk as Buffer).toString('utf8');
      const lines = text.split('\n');
      if (lines.length > 2 || text.length >= MAX_HEAD) break;
    }
  } finally {
    file.destroy();
    source.destroy();
  }
  return text;
}

/** `manifest.json` is the first zip entry; read its local header and inflate it. */
async function zipManifest(path: string): Promise<BundleManifest | null> {
  const head = await readStart(path, MAX_HEAD);
  const method = head.readUInt16LE(8);
  const compressedSize = head.readUInt32LE(18);
  const nameLength = head.readUInt16LE(26);
  const extraLength = head.readUInt16LE(28);
  if (head.subarray(30, 30 + nameLength).toString('utf8') !== 'manifest.json') return null;
  const start = 30 + nameLength + extraLength;
  // Streamed entries record their size after the data (flag bit 3): inflate until the stream ends.
  const data = compressedSize > 0 ? head.subarray(start, start + compressedSize) : head.subarray(start);
  let text: string;
  if (method === 8) text = inflateRawSync(data, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString('utf8');
  else if (method === 0 && compressedSize > 0) text = data.toString('utf8');
  else return null;
  const manifest = JSON.parse(text) as BundleManifest;
  return manifest?.format === 'rythm-bundle' ? manifest : null;
}
