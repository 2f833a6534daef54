import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { loadConfig } from '../config/app-config.js';
import { S3Storage } from '../storage/s3-storage.js';
import { storageSource } from '../storage/storage-source.js';
import type { BundleSource } from '../transfer/formats/bundle-source.js';

/**
 * `npm run bench -- --storage s3`: the export and import rows again with the bundle in an S3
 * bucket (a local s3rver), through the app's own storage layer (storage/s3-storage.ts), so the
 * figures are those of STORAGE_DRIVER=s3 against the local-disk rows of the same run.
 */
export interface BenchS3 {
  endpoint: string;
  bucket: string;
}

const BUCKET = 'rythm-bench';

export async function startBenchS3(): Promise<BenchS3 & { close(): Promise<void> }> {
  // s3rver's fixed credentials, read by the SDK's default chain in the workers too (they inherit the environment).
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
  const directory = await mkdtemp(join(os.tmpdir(), 'rythm-bench-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET, configs: [] }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: BUCKET,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * The app's S3 driver on the bench's bucket, as STORAGE_DRIVER=s3 would make it, after the same
 * start-up check the app runs (which also resolves the credentials and opens a connection), so
 * the measured operation starts with a client as warm as a running instance's.
 */
export async function benchStorage(s3: BenchS3): Promise<S3Storage> {
  const { storage } = loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: s3.bucket, S3_ENDPOINT: s3.endpoint, S3_PREFIX: 'bench/', S3_FORCE_PATH_STYLE: 'true' });
  if (storage.driver !== 's3') throw new Error('the bench storage is s3');
  const driver = new S3Storage(storage);
  await driver.check();
  return driver;
}

/** A stored bundle as the import worker reads it (streamed; a CSV zip by ranged reads). */
export async function benchSource(storage: S3Storage, name: string): Promise<BundleSource> {
  const found = await storage.stat('jobs', name);
  if (!found) throw new Error(`${name} is not in the bench bucket`);
  return storageSource(storage, 'jobs', name, found.size);
}
