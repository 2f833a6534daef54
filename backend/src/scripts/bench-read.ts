import { stat } from 'node:fs/promises';
import { openReader } from '../transfer/formats/bundle-readers.js';
import { benchTables } from './bench-common.js';

/**
 * node [--cpu-prof] backend/dist/scripts/bench-read.js <bundle file>
 *
 * Reads a bundle with its format's reader and discards the rows: the reader's own cost, without
 * a database (an import's "read" phase also stages every row with COPY). For profiling the readers.
 */
async function main(): Promise<void> {
  const [file] = process.argv.slice(2);
  if (!file) throw new Error('usage: bench-read.js <bundle file>');
  const bytes = (await stat(file)).size;
  const tables = await benchTables();
  const started = performance.now();
  const reader = await openReader(file, { maxDecompressedBytes: Number.MAX_SAFE_INTEGER, maxCompressionRatio: 1e6 }, tables.length);
  let rows = 0;
  let problems = 0;
  let sha256 = '';
  for await (const event of reader.events()) {
    if (event.kind === 'rows') {
      rows += event.rows.length;
      for (const row of event.rows) if (row.problem) problems++;
    } else if (event.kind === 'end') {
      sha256 = event.sha256;
    }
  }
  const ms = performance.now() - started;
  const result = { ms: Math.round(ms), rows, problems, mb: +(bytes / 1048576).toFixed(1), mbPerS: +(bytes / 1048576 / (ms / 1000)).toFixed(1), sha256 };
  console.log(JSON.stringify({ ...result, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
