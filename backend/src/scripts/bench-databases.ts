import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../database/data-source.js';
import { databaseName, databaseUrl, quoteIdent } from './bench-common.js';

/** Database housekeeping shared by `npm run bench` (in-process) and `npm run bench:e2e`. */

/** Creates the database named in `url` when missing; true if it did. */
export async function ensureDatabase(url: string): Promise<boolean> {
  const admin = new pg.Client({ connectionString: databaseUrl(url, 'postgres') });
  await admin.connect();
  try {
    const name = databaseName(url);
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return false;
    await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    return true;
  } finally {
    await admin.end();
  }
}

export async function dropDatabase(url: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl(url, 'postgres') });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdent(databaseName(url))} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export async function freshMigratedDatabase(url: string): Promise<void> {
  await dropDatabase(url);
  await ensureDatabase(url);
  const dataSource = new DataSource({ ...dataSourceOptions(url), logging: false });
  await dataSource.initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

/** Runs the statements in order on one connection (UTC), returning each result. */
export async function sql(url: string, statements: string[], params: unknown[][] = []): Promise<pg.QueryResult[]> {
  const client = new pg.Client({ connectionString: url, options: '-c TimeZone=UTC' });
  await client.connect();
  try {
    const results: pg.QueryResult[] = [];
    for (const [i, s] of statements.entries()) results.push(await client.query(s, params[i] ?? []));
    return results;
  } finally {
    await client.end();
  }
}
