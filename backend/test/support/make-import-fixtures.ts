/**
 * Writes the import corpus: test/fixtures/import/{ok,not-ok}/<name> with <name>.expected.json
 * beside each (who sends it, the strategy, the outcome and the errors it must report). The
 * bundles are defined in test/support/fixture-bundles.ts; decompression bombs are not committed
 * (import-corpus.integration-spec makes them at test time).
 *
 * Run (from backend/, Node 22):
 *   npx esbuild test/support/make-import-fixtures.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=node_modules/.cache/rythm-scripts/make-import-fixtures.mjs
 *   node node_modules/.cache/rythm-scripts/make-import-fixtures.mjs
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { offlineDomainTables } from '../../src/database/offline-tables.js';
import { allFixtures } from './fixture-bundles.js';

async function main(): Promise<void> {
  const root = resolve(process.argv[2] ?? 'test/fixtures/import');
  const fixtures = allFixtures(await offlineDomainTables());
  for (const dir of ['ok', 'not-ok']) {
    await mkdir(join(root, dir), { recursive: true });
    for (const file of await readdir(join(root, dir))) await rm(join(root, dir, file));
  }
  for (const fixture of fixtures) {
    await writeFile(join(root, fixture.dir, fixture.name), fixture.data);
    await writeFile(join(root, fixture.dir, `${fixture.name}.expected.json`), `${JSON.stringify(fixture.expected, null, 2)}\n`);
  }
  console.log(`${fixtures.length} fixtures written to ${root}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
