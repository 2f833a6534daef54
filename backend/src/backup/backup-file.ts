import { createHash } from 'node:crypto';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { JobProgress } from '../shared/api-types.js';
import type { Storage } from '../storage/storage.js';
import { compactUtc, exportBundle, normaliseExport } from '../transfer/export/index.js';
import type { TableSpec } from '../transfer/table-graph.js';
import { GZIP_LEVEL } from '../transfer/formats/writer-types.js';

export interface BackupFile {
  fileName: string;
  sizeBytes: number;
  /** Of the whole file, checked before every restore. */
  sha256: string;
  rowCounts: Record<string, number>;
  schemaVersion: string;
}

/** Hashes the bytes that pass through: the file's checksum costs no second read. */
class HashTap extends Transform {
  readonly hash = createHash('sha256');
  override _transform(chunk: Buffer, _: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    done(null, chunk);
  }
}

/**
 * A backup is an SQL bundle, gzip, with credentials (DESIGN §7): it restores with psql even when
 * the application cannot run. Written by the same export engine as every other bundle.
 */
export async function writeBackupFile(
  pool: pg.Pool,
  tables: TableSpec[],
  target: { scope: 'tenant' | 'full'; tenantId: string | null; kind: string; tenantSlug: string | null },
  storage: Storage,
  hooks: { signal?: AbortSignal; onProgress?: (progress: JobProgress) => void } = {},
): Promise<BackupFile> {
  const label = target.scope === 'tenant' ? `${(target.tenantSlug ?? 'tenant').replace(/[^a-z0-9-]/g, '-')}` : 'full';
  const fileName = `rythm-backup-${label}-${target.kind}-${compactUtc(new Date())}-${Math.random().toString(36).slice(2, 8)}.sql.gz`;
  const tap = new HashTap();
  const file = storage.createWriter('backups', fileName);
  const written = pipeline(tap, file.stream);
  try {
    const outcome = await exportBundle(
      pool,
      normaliseExport({ scope: target.scope, tenantId: target.tenantId ?? undefined, format: 'sql', compress: true, includeCredentials: true }),
      tap,
      { tables, signal: hooks.signal, onProgress: hooks.onProgress },
    );
    await written;
    const { size } = await file.done();
    return {
      fileName,
      sizeBytes: size,
      sha256: tap.hash.digest('hex'),
      rowCounts: outcome.summary.rowCounts,
      schemaVersion: outcome.manifest.schemaVersion,
    };
  } catch (error) {
    tap.destroy();
    await written.catch(() => undefined);
    await file.abort();
    throw error;
  }
}

/**
 * A change set's file (transfer/change-set): `write` produces the SQL script, compressed and
 * hashed on its way into storage. The caller records the row; on failure the file goes.
 */
export async function writeChangeSetFile<T>(
  storage: Storage,
  label: string,
  write: (output: Writable) => Promise<T>,
): Promise<{ fileName: string; sizeBytes: number; sha256: string; produced: T }> {
  const fileName = `rythm-change-set-${label.replace(/[^a-z0-9-]/g, '-')}-${compactUtc(new Date())}-${Math.random().toString(36).slice(2, 8)}.sql.gz`;
  const gzip = createGzip({ level: GZIP_LEVEL });
  const tap = new HashTap();
  const file = storage.createWriter('backups', fileName);
  const written = pipeline(gzip, tap, file.stream);
  try {
    const produced = await write(gzip);
    gzip.end();
    await written;
    const { size } = await file.done();
    return { fileName, sizeBytes: size, sha256: tap.hash.digest('hex'), produced };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined);
    await file.abort();
    throw error;
  }
}

/** sha256 of a stored backup, streamed from storage (checked before every restore). */
export async function storedSha256(storage: Storage, fileName: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of await storage.read('backups', fileName)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
