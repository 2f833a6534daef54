import 'reflect-metadata';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createApp } from '../bootstrap.js';
import { buildOpenApiDocument } from '../common/openapi-document.js';
import { loadConfig } from '../config/app-config.js';

/**
 * npm run openapi:lint (first half) — writes the OpenAPI document of the real app, as GET
 * /api/docs-json serves it, to the file named on the command line (default dist/openapi.json).
 * The app is built in Nest's preview mode: the controllers' metadata without a provider, so no
 * database is needed. The contract test checks that this document equals the served one.
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? new URL('../openapi.json', import.meta.url).pathname);
  const scratch = await mkdtemp(join(tmpdir(), 'rythm-openapi-'));
  try {
    // Defaults only: a developer's environment (NODE_ENV, DATABASE_URL) must not change the document.
    const config = loadConfig({ DATA_DIR: scratch, CONSOLE_DIR: join(scratch, 'no-console') });
    const app = await createApp(config, 'postgres://preview.invalid/none', { logger: false, preview: true });
    const document = buildOpenApiDocument(app);
    await app.close();
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, `${JSON.stringify(document, null, 2)}\n`);
    console.log(`OpenAPI document: ${Object.keys(document.paths).length} paths → ${out}`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
