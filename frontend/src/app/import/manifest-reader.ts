import type { BundleManifest } from '@rythm/api-types';

/** How the browser reads a bundle's header before upload (see DESIGN.md §4 for the formats). */
export type BundleFormat = 'json' | 'sql' | 'csv';

export interface BundleSummary {
  rowCounts: Record<string, number>;
  sha256?: string;
}

export interface ManifestInfo {
  fileName: string;
  sizeBytes: number;
  format: BundleFormat;
  compressed: boolean;
  manifest: BundleManifest | null;
  /** From the summary at the end of the file; only read for uncompressed files. */
  rowCounts: Record<string, number> | null;
  /** Why something is not shown (zip: read on the server). */
  note: string | null;
  /** The file is not a bundle we can read. */
  error: string | null;
}

export const ACCEPTED_EXTENSIONS = ['.json', '.json.gz', '.sql', '.sql.gz', '.zip'] as const;

/** Compressed files are decompressed 64 KB at a time, only until the manifest is complete. */
export const CHUNK_BYTES = 64 * 1024;
/** A manifest is a few KB; stop looking past this much text. */
const MAX_HEAD_CHARS = 1024 * 1024;
const TAIL_BYTES = 64 * 1024;

const JSON_PREFIX = /^\s*\{\s*"manifest"\s*:\s*/;
const SQL_MANIFEST = /^--\s*manifest:\s*(.*)$/;
const SQL_SUMMARY = /^--\s*summary:\s*(.*)$/;

export function formatFromName(name: string): { format: BundleFormat; compressed: boolean } | null {
  const lower = name.toLowerCase();
  if (lower.endsWith('.json.gz')) return { format: 'json', compressed: true };
  if (lower.endsWith('.sql.gz')) return { format: 'sql', compressed: true };
  if (lower.endsWith('.json')) return { format: 'json', compressed: false };
  if (lower.endsWith('.sql')) return { format: 'sql', compressed: false };
  if (lower.endsWith('.zip')) return { format: 'csv', compressed: false };
  return null;
}

function readBytes(blob: Blob): Promise<Uint8Array<ArrayBuffer>> {
  if (typeof blob.arrayBuffer === 'function') return blob.arrayBuffer().then((b) => new Uint8Array(b));
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the file'));
    reader.readAsArrayBuffer(blob);
  });
}

/** The blob as a stream of chunks, read slice by slice (also where Blob.stream() is missing). */
function blobStream(blob: Blob): ReadableStream<BufferSource> {
  let offset = 0;
  return new ReadableStream<BufferSource>({
    async pull(controller) {
      if (offset >= blob.size) {
        controller.close();
        return;
      }
      const bytes = await readBytes(blob.slice(offset, offset + CHUNK_BYTES));
      offset += CHUNK_BYTES;
      controller.enqueue(bytes);
    },
  });
}

/**
 * Reads text from the start of the file, chunk by chunk, until `enough(text)` says so or the
 * limit is reached. Gzip files are decompressed on the fly and the rest is never read.
 */
async function readHead(blob: Blob, compressed: boolean, enough: (text: string) => boolean): Promise<string> {
  let text = '';
  const decoder = new TextDecoder();
  if (!compressed) {
    for (let offset = 0; offset < blob.size && text.length < MAX_HEAD_CHARS; offset += CHUNK_BYTES) {
      text += decoder.decode(await readBytes(blob.slice(offset, offset + CHUNK_BYTES)), { stream: true });
      if (enough(text)) break;
    }
    return text;
  }
  if (typeof DecompressionStream === 'undefined' || typeof ReadableStream === 'undefined') {
    throw new Error('This browser cannot decompress gzip files; the manifest will be read after upload.');
  }
  const reader = blobStream(blob).pipeThrough(new DecompressionStream('gzip')).getReader();
  try {
    while (text.length < MAX_HEAD_CHARS) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
      if (enough(text)) break;
    }
  } finally {
    // Stop reading and decompressing: the rest of the file is not needed.
    reader.cancel().catch(() => undefined);
  }
  return text;
}

/** The first complete JSON object in `text` from `start` (strings and escapes respected), or null. */
export function extractJsonObject(text: string, start: number): string | null {
  if (text[start] !== '{') return null;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
    } else if (c === '{') {
      depth++;
    } else if (c === '}') {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
  }
  return null;
}

function jsonManifestText(head: string): string | null {
  const prefix = JSON_PREFIX.exec(head);
  return prefix ? extractJsonObject(head, prefix[0].length) : null;
}

function sqlLines(head: string): string[] {
  return head.split(/\r?\n/);
}

function sqlManifestText(head: string): string | null {
  const lines = sqlLines(head);
  // The manifest is on the second line; a complete line is one followed by a newline.
  for (const line of lines.slice(0, Math.min(lines.length - 1, 5))) {
    const match = SQL_MANIFEST.exec(line);
    if (match) return match[1];
  }
  return null;
}

function isManifest(value: unknown): value is BundleManifest {
  const m = value as BundleManifest | null;
  return typeof m === 'object' && m !== null && m.format === 'rythm-bundle' && Array.isArray(m.tables);
}

function parseSummary(text: string | null): Record<string, number> | null {
  if (!text) return null;
  try {
    const summary = JSON.parse(text) as Partial<BundleSummary>;
    return summary && typeof summary.rowCounts === 'object' ? (summary.rowCounts ?? null) : null;
  } catch {
    return null;
  }
}

/** Row counts from the summary at the end of an uncompressed bundle (a cheap slice of the file). */
async function readRowCounts(blob: Blob, format: BundleFormat): Promise<Record<string, number> | null> {
  const start = Math.max(0, blob.size - TAIL_BYTES);
  const tail = new TextDecoder().decode(await readBytes(blob.slice(start)));
  if (format === 'json') {
    const at = tail.lastIndexOf('"summary"');
    if (at < 0) return null;
    const brace = tail.indexOf('{', at);
    return brace < 0 ? null : parseSummary(extractJsonObject(tail, brace));
  }
  const line = tail
    .split(/\r?\n/)
    .reverse()
    .map((l) => SQL_SUMMARY.exec(l))
    .find((m) => m !== null);
  return parseSummary(line?.[1] ?? null);
}

async function isGzip(blob: Blob): Promise<boolean> {
  const magic = await readBytes(blob.slice(0, 2));
  return magic.length === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
}

/**
 * Reads a bundle's manifest in the browser, before upload: JSON bundles have
 * `{"manifest":<manifest>,` as their first line, SQL bundles `-- manifest: <manifest>` as their
 * second; gzip (magic bytes 1f 8b) is decompressed progressively. Zip (CSV) bundles are read on
 * the server. Never throws: problems come back in `error`.
 */
export async function readManifest(file: Blob, fileName: string): Promise<ManifestInfo> {
  const detected = formatFromName(fileName);
  const info: ManifestInfo = {
    fileName,
    sizeBytes: file.size,
    format: detected?.format ?? 'json',
    compressed: detected?.compressed ?? false,
    manifest: null,
    rowCounts: null,
    note: null,
    error: null,
  };
  if (!detected) {
    info.error = `Unsupported file type. Choose a ${ACCEPTED_EXTENSIONS.join(', ')} bundle.`;
    return info;
  }
  if (detected.format === 'csv') {
    info.note = 'The manifest of a CSV (zip) bundle will be read after upload.';
    return info;
  }
  try {
    info.compressed = await isGzip(file);
    const extract = info.format === 'json' ? jsonManifestText : sqlManifestText;
    const head = await readHead(file, info.compressed, (text) => extract(text) !== null);
    const manifestText = extract(head);
    if (manifestText === null) {
      info.error =
        info.format === 'json'
          ? 'No manifest found: a JSON bundle starts with {"manifest":…'
          : 'No manifest found: the second line of an SQL bundle is "-- manifest: …"';
      return info;
    }
    const manifest: unknown = JSON.parse(manifestText);
    if (!isManifest(manifest)) {
      info.error = 'This file is not a RYTHM bundle (its manifest has no format "rythm-bundle").';
      return info;
    }
    info.manifest = manifest;
    if (!info.compressed) info.rowCounts = await readRowCounts(file, info.format);
    else info.note = 'Row counts will be known after validation (they are at the end of the compressed file).';
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    info.error = `Could not read the manifest: ${message}`;
  }
  return info;
}
