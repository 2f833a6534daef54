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
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  dataSource: DataSource;
  db: TestDatabase;
  config: AppConfig;
  /** Signs in a demo user and returns the bearer token. */
  token(email: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

export const SYSADMIN = 'sysadmin@rythm.example';
export const NORTHSIDE_ADMIN = 'admin@northside.example';
export const HARBOR_ADMIN = 'admin@harbor.example';

/** A real Nest application on its own fresh database and data directory. */
export async function createTestApp(options: { seed?: boolean; env?: Record<string, string>; database?: TestDatabase } = {}): Promise<TestApp> {
  // A second app may share another's database (several instances, one cluster); only the owner drops it.
  const db = options.database ?? (await createTestDatabase({ seed: options.seed }));
  const dataDir = await mkdtemp(join(tmpdir(), 'rythm-test-data-'));
  const config = loadConfig({
    DATA_DIR: dataDir,
    JWT_SECRET: 'test-secret-of-at-least-16-chars',
    LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    CONSOLE_DIR: join(dataDir, 'no-console'),
    ...options.env,
  });
  const app = await createApp(config, db.url, { logger: false });
  await app.init();
  const http = request(app.getHttpServer());
  const tokens = new Map<string, string>();
  return {
    app,
    http,
    db,
    config,
    dataSource: app.get(DataSource),
    async token(email, password = DEMO_PASSWORD) {
      const cached = tokens.get(email);
      if (cached) return cached;
      const response = await http.post('/api/auth/login').send({ email, password });
      if (response.status !== 200) throw new Error(`login ${email} failed: ${response.status} ${JSON.stringify(response.body)}`);
      tokens.set(email, response.body.accessToken);
      return response.body.accessToken as string;
    },
    async close() {
      await app.close();
      if (!options.database) await db.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
