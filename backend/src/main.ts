import 'reflect-metadata';
import { ConsoleLogger } from '@nestjs/common';
import { createApp, runMigrations } from './bootstrap.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { startEmbeddedPostgres, type EmbeddedServer } from './database/embedded-postgres.js';
import { DEMO_CREDENTIALS, seedDemo } from './database/seed/demo-seed.js';
import { DataSource } from 'typeorm';

const logger = new ConsoleLogger('Bootstrap', {
  json: true,
  logLevels: process.env.LOG_LEVEL === 'debug' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn', 'log'],
});

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      process.exit(78);
    }
    throw error;
  }
  let embedded: EmbeddedServer | null = null;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    logger.log({ msg: 'starting embedded PostgreSQL', dir: `${config.dataDir}/pg`, port: config.embeddedPgPort });
    embedded = await startEmbeddedPostgres(config.dataDir, config.embeddedPgPort, (m) => logger.debug?.({ msg: 'postgres', line: m }));
    databaseUrl = embedded.url;
  }
  let app;
  try {
    app = await createApp(config, databaseUrl);
  } catch (error) {
    // The storage check (STORAGE_DRIVER=s3: the bucket reachable and writable) runs here.
    if (error instanceof ConfigError) {
      console.error(`Configuration error: ${error.message}`);
      await embedded?.stop();
      process.exit(78);
    }
    throw error;
  }
  const applied = await runMigrations(app);
  logger.log({ msg: 'migrations', applied });
  if (config.seedDemo) {
    const seed = await seedDemo(app.get(DataSource));
    logger.log({ msg: seed.seeded ? 'demo data seeded' : 'demo data already present', rows: seed.rows });
  }
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log({ msg: 'shutting down', signal });
    // PostgreSQL may stop at this same moment (Ctrl-C reaches the embedded server too, and
    // embedded-postgres stops it on exit): a connection it terminates now, such as the job queue's
    // LISTEN connection, is expected, not a crash. Anything else still is one.
    process.on('uncaughtException', (error: Error & { code?: string }) => {
      if (error.code === '57P01') return;
      logger.error({ msg: 'uncaught error while shutting down', error: String(error), stack: error.stack });
      process.exit(1);
    });
    await app.close();
    if (embedded) await embedded.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  await app.listen(config.port);
  const url = `http://localhost:${config.port}`;
  logger.log({ msg: 'RYTHM Data is running', url, docs: `${url}/api/docs` });
  if (config.seedDemo) {
    // Printed plainly as well so a person at the terminal can sign in.
    console.log(`\nRYTHM Data console: ${url}\nDemo sign-ins (password "${DEMO_CREDENTIALS[0].password}"):`);
    for (const c of DEMO_CREDENTIALS) console.log(`  ${c.role.padEnd(13)} ${c.email}`);
    console.log('');
  }
}

main().catch((error: unknown) => {
  logger.error({ msg: 'start-up failed', error: String(error), stack: (error as Error)?.stack });
  process.exit(1);
});
