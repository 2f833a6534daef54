import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/bootstrap.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { DEMO_PASSWORD } from '../../src/database/seed/demo-seed.js';
import { STORAGE, type Storage, type StorageArea } from '../../src/storage/storage.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';
import { storedNames, testStorageEnv } from './test-storage.js';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  dataSource: DataSource;
  db: TestDatabase;
  config: AppConfig;
  /** The app's storage (local directory, or s3rver when TEST_STORAGE=s3). */
  storage: Storage;
  /** Whether a file is in the app's storage, whichever driver it runs on. */
  stored(area: StorageArea, name: string): Promise<boolean>;
  /** The names of the files in an area of the app's storage. */
  storedNames(area: StorageArea): Promise<string[]>;
  /** Writes a file into the app's storage (a test's own fixture, or a tampered copy). */
  putStored(area: StorageArea, name: string, data: string | Buffer): Promise<void>;
  /** A stored file's bytes. */
  readStored(area: StorageArea, name: string): Promise<Buffer>;
  /** Signs in a demo user and returns the bearer token. */
  token(email: string, password?: string): Promise<string>;
  /** Listens on a free local port (for real HTTP clients: fetch, the CLI) and returns its base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export const SYSADMIN = 'sysadmin@rythm.example';
export const NORTHSIDE_ADMIN = 'admin@northside.example';
export const HARBOR_ADMIN = 'admin@harbor.example';

/**
 * A real Nest application on its own fresh database and data directory; with TEST_STORAGE=s3 its
 * files live in the run's s3rver under a key prefix of its own (`env` may name a shared one).
 */
export async function createTestApp(options: { seed?: boolean; env?: Record<string, string>; database?: TestDatabase } = {}): Promise<TestApp> {
  // A second app may share another's database (several instances, one cluster); only the owner drops it.
  const db = options.database ?? (await createTestDatabase({ seed: options.seed }));
  const dataDir = await mkdtemp(join(tmpdir(), 'rythm-test-data-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-of-at-least-16-chars',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    CONSOLE_DIR: join(dataDir, 'no-console'),
    ...testStorageEnv(),
    ...options.env,
  });
  const app = await createApp(config, db.url, { logger: false });
  await app.init();
  const http = request(app.getHttpServer());
  const tokens = new Map<string, string>();
  const storage = app.get<Storage>(STORAGE);
  return {
    app,
    http,
    db,
    config,
    storage,
    stored: async (area, name) => (await storage.stat(area, name)) !== null,
    storedNames: (area) => storedNames(config, area),
    async putStored(area, name, data) {
      const writer = storage.createWriter(area, name);
      writer.stream.end(data);
      await writer.done();
    },
    async readStored(area, name) {
      const parts: Buffer[] = [];
      for await (const chunk of await storage.read(area, name)) parts.push(chunk as Buffer);
      return Buffer.concat(parts);
    },
    dataSource: app.get(DataSource),
    async token(email, password = DEMO_PASSWORD) {
      const cached = tokens.get(email);
      if (cached) return cached;
      const response = await http.post('/api/auth/login').send({ email, password });
      if (response.status !== 200) throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
      tokens.set(email, response.body.accessToken);
      return response.body.accessToken as string;
    },
    async listen() {
      await app.listen(0, '127.0.0.1');
      return `http://127.0.0.1:${(app.getHttpServer().address() as { port: number }).port}`;
    },
    async close() {
      await app.close();
      if (!options.database) await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
