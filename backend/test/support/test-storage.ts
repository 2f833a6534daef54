import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { AppConfig } from '../../src/config/app-config.js';
import type { StorageArea } from '../../src/storage/storage.js';

/** The bucket of every test run (S3 names need 3 characters or more). */
export const TEST_BUCKET = 'rythm-test';
/** s3rver's fixed credentials: the SDK's default chain reads them from the environment. */
const S3RVER_CREDENTIALS = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };

export interface S3Server {
  endpoint: string;
  bucket: string;
  close(): Promise<void>;
}

/**
 * A real S3-compatible server (s3rver, on a free port, in a temporary directory) with one bucket.
 * The SDK talks to it over HTTP as it would to AWS: multipart uploads, ranged reads and deletes.
 */
export async function startS3rver(bucket = TEST_BUCKET): Promise<S3Server> {
  Object.assign(process.env, S3RVER_CREDENTIALS);
  const directory = await mkdtemp(join(tmpdir(), 'rythm-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bucket,
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** True when the suite runs on the s3 driver (TEST_STORAGE=s3: the global set-up started s3rver). */
export const testsUseS3 = (): boolean => process.env.TEST_STORAGE === 's3';

/**
 * The environment of an app on the s3 driver. Each app gets its own key prefix unless it is given
 * one: apps that play several instances of one cluster share it.
 */
export function s3Env(endpoint: string, bucket = TEST_BUCKET, prefix = `t-${randomBytes(6).toString('hex')}/`): Record<string, string> {
  Object.assign(process.env, S3RVER_CREDENTIALS);
  return { STORAGE_DRIVER: 's3', S3_BUCKET: bucket, S3_ENDPOINT: endpoint, S3_PREFIX: prefix, S3_REGION: 'us-east-1', S3_FORCE_PATH_STYLE: 'true' };
}

/** What TEST_STORAGE asks for: {} for the local driver, the shared s3rver's settings for s3. */
export function testStorageEnv(): Record<string, string> {
  if (!testsUseS3()) return {};
  const endpoint = process.env.RYTHM_TEST_S3_ENDPOINT;
  if (!endpoint) throw new Error('TEST_STORAGE=s3 but the global set-up started no s3rver (RYTHM_TEST_S3_ENDPOINT is unset)');
  return s3Env(endpoint);
}

/** The names of the files in an area of an app's storage, for tests that count what is left behind. */
export async function storedNames(config: AppConfig, area: StorageArea): Promise<string[]> {
  const storage = config.storage;
  if (storage.driver === 'local') {
    const dir = area === 'jobs' ? join(config.dataDir, 'jobs') : config.backupDir;
    return (await readdir(dir).catch(() => [] as string[])).filter((name) => !name.startsWith('.')).sort();
  }
  const client = new S3Client({ region: storage.region, endpoint: storage.endpoint ?? undefined, forcePathStyle: storage.forcePathStyle });
  try {
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: storage.bucket, Prefix: `${storage.prefix}${area}/`, ContinuationToken: token }));
      for (const object of page.Contents ?? []) names.push(object.Key!.slice(`${storage.prefix}${area}/`.length));
      token = page.NextContinuationToken;
    } while (token);
    return names.sort();
  } finally {
    client.destroy();
  }
}
