import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type TransformCallback, type Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import type { JobProgress } from '../shared/api-types.js';
import { compactUtc, exportBundle, normaliseExport } from '../transfer/export/index.js';
import type { TableSpec } from '../transfer/table-graph.js';

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
  backupDir: string,
  hooks: { signal?: AbortSignal; onProgress?: (progress: JobProgress) => void } = {},
): Promise<BackupFile> {
  const label = target.scope === 'tenant' ? `${(target.tenantSlug ?? 'tenant').replace(/[^a-z0-9-]/g, '-')}` : 'full';
  const fileName = `rythm-backup-${label}-${target.kind}-${compactUtc(new Date())}-${Math.random().toString(36).slice(2, 8)}.sql.gz`;
  const path = join(backupDir, fileName);
  const tap = new HashTap();
  const file = createWriteStream(path, { flags: 'wx' });
  const written = pipeline(tap, file);
  try {
    const outcome = await exportBundle(
      pool,
      normaliseExport({ scope: target.scope, tenantId: target.tenantId ?? undefined, format: 'sql', compress: true, includeCredentials: true }),
      tap,
      { tables, signal: hooks.signal, onProgress: hooks.onProgress },
    );
    await written;
    return {
      fileName,
      sizeBytes: (await stat(path)).size,
      sha256: tap.hash.digest('hex'),
      rowCounts: outcome.summary.rowCounts,
      schemaVersion: outcome.manifest.schemaVersion,
    };
  } catch (error) {
    tap.destroy();
    await written.catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
}

/**
 * A change set's file (transfer/change-set): `write` produces the SQL script, compressed and
 * hashed on the way to the backup directory. The caller records the row; on failure the file goes.
 */
export async function writeChangeSetFile<T>(
  backupDir: string,
  label: string,
  write: (output: Writable) => Promise<T>,
): Promise<{ fileName: string; sizeBytes: number; sha256: string; produced: T }> {
  const fileName = `rythm-change-set-${label.replace(/[^a-z0-9-]/g, '-')}-${compactUtc(new Date())}-${Math.random().toString(36).slice(2, 8)}.sql.gz`;
  const path = join(backupDir, fileName);
  const gzip = createGzip({ level: 6 });
  const tap = new HashTap();
  const written = pipeline(gzip, tap, createWriteStream(path, { flags: 'wx' }));
  try {
    const produced = await write(gzip);
    gzip.end();
    await written;
    return { fileName, sizeBytes: (await stat(path)).size, sha256: tap.hash.digest('hex'), produced };
  } catch (error) {
    gzip.destroy();
    await written.catch(() => undefined);
    await rm(path, { force: true });
    throw error;
  }
}

/** sha256 of a file on disk, streamed. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
