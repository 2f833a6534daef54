import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source.js';
import { seedDemo } from '../../src/database/seed/demo-seed.js';
import { TEMPLATE_DEMO, TEMPLATE_EMPTY, withDatabase } from './database-url.js';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function adminUrl(): string {
  const url = process.env.RYTHM_TEST_ADMIN_URL;
  if (!url) throw new Error('RYTHM_TEST_ADMIN_URL is not set: run the tests through jest (global setup)');
  return url;
}

async function withAdmin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Builds the template (migrated, and seeded for the demo one) once per run. Workers race for it,
 * so an advisory lock on the admin database lets one build while the others wait.
 */
async function ensureTemplate(name: string): Promise<void> {
  await withAdmin(async (admin) => {
    await admin.query('SELECT pg_advisory_lock(726339100)');
    try {
      const found = await admin.query(`SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate`, [name]);
      if (found.rowCount) return;
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${name}"`);
      const dataSource = new DataSource(dataSourceOptions(withDatabase(adminUrl(), name)));
      await dataSource.initialize();
      try {
        await dataSource.runMigrations({ transaction: 'each' });
        if (name === TEMPLATE_DEMO) await seedDemo(dataSource);
      } finally {
        await dataSource.destroy();
      }
      await admin.query(`UPDATE pg_database SET datistemplate = true WHERE datname = '${name}'`);
    } finally {
      await admin.query('SELECT pg_advisory_unlock(726339100)');
    }
  });
}

/** A fresh database for one suite: migrated, and with the demo data unless `seed` is false. */
export async function createTestDatabase(options: { seed?: boolean } = {}): Promise<TestDatabase> {
  const name = `rythm_t_${randomBytes(6).toString('hex')}`;
  const template = options.seed === false ? TEMPLATE_EMPTY : TEMPLATE_DEMO;
  await ensureTemplate(template);
  await adminQuery(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return {
    name,
    url: withDatabase(adminUrl(), name),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export async function adminQuery(sql: string): Promise<void> {
  await withAdmin((client) => client.query(sql).then(() => undefined));
}
