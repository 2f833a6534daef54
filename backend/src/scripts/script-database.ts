import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from '../database/data-source.js';
import { startEmbeddedPostgres } from '../database/embedded-postgres.js';

/**
 * The database a script works on, found as the application finds it: DATABASE_URL, else the
 * embedded PostgreSQL in DATA_DIR (started here, stopped by close()). Migrations are applied.
 */
export async function openScriptDatabase(
  env: Record<string, string | undefined> = process.env,
): Promise<{ dataSource: DataSource; url: string; close(): Promise<void> }> {
  const config = loadConfig(env);
  let url = config.databaseUrl;
  let stop: (() => Promise<void>) | null = null;
  if (!url) {
    const embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort);
    url = embedded.url;
    stop = () => embedded.stop();
  }
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return {
    dataSource,
    url,
    async close() {
      await dataSource.destroy();
      if (stop) await stop();
    },
  };
}

/** `--name value` and `--flag` from argv. */
export function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
