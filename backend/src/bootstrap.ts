import 'reflect-metadata';
import { ConsoleLogger, type INestApplication, Logger, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { setupOpenApi } from './common/openapi-document.js';
import type { AppConfig } from './config/app-config.js';

export const KEEP_ALIVE_MS = 65_000;

/**
 * Builds the Nest application on a database URL; shared by main.ts and the integration tests so
 * both run the same pipes, filters and middleware. `preview` builds the module graph without
 * instantiating a provider (no database connection): enough to write the OpenAPI document.
 */
export async function createApp(
  config: AppConfig,
  databaseUrl: string,
  options: { logger?: false | ConsoleLogger; preview?: boolean } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, databaseUrl), {
    logger: options.logger ?? new ConsoleLogger({ json: true, logLevels: logLevels(config.logLevel) }),
    bodyParser: true,
    preview: options.preview,
    // A provider that fails at start-up (the storage check) throws to the caller, which says why
    // and exits, instead of Nest logging a stack and exiting itself.
    abortOnError: false,
  });
  // X-Forwarded-For is believed only from the proxies named in TRUSTED_PROXIES (Express then takes
  // the last address before them); otherwise req.ip is the socket's, which no client can choose.
  app.set('trust proxy', config.trustedProxies.length > 0 ? config.trustedProxies : false);
  // Node closes idle keep-alive sockets after 5 s; a client (a proxy, Playwright, the CLI) that
  // reuses one at that instant gets ECONNRESET. Idle sockets live longer than any usual client or
  // load-balancer idle timeout (60 s) so the client, not the server, is the one that closes them.
  const server: Server = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
  app.useBodyParser('json', { limit: '1mb' });
  app.use((request: Request & { id?: string }, response: Response, next: NextFunction) => {
    request.id = request.get('x-request-id')?.slice(0, 100) || randomUUID();
    response.setHeader('x-request-id', request.id);
    next();
  });
  // The console is a same-origin SPA built by Angular; its styles use inline attributes.
  app.use(helmet({ contentSecurityPolicy: { directives: { 'style-src': ["'self'", "'unsafe-inline'"], 'img-src': ["'self'", 'data:', 'blob:'] } } }));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  setupOpenApi(app);
  return app;
}

/** Several instances may start at once on a fresh database: one migrates, the others wait. */
export async function runMigrations(app: INestApplication): Promise<string[]> {
  const dataSource = app.get(DataSource);
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock(726339003)');
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock(726339003)').catch(() => undefined);
    await runner.release();
  }
}

function logLevels(level: AppConfig['logLevel']) {
  const all = ['error', 'warn', 'log', 'debug'] as const;
  return all.slice(0, all.indexOf(level) + 1);
}

export const bootLogger = new Logger('Bootstrap');
