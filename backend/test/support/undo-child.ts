/**
 * Runs one undo in its own process for the crash test (undo.integration-spec): after the first
 * restore statement — rows already written, transaction still open — it prints UNDOING and
 * freezes, so the test can SIGKILL it mid-undo.
 *
 * argv: <database url> <change set path (.sql.gz)>
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import pg from 'pg';
import { offlineDomainTables } from '../../src/database/offline-tables.js';
import { undoChangeSet } from '../../src/transfer/change-set/undo-engine.js';

async function main(): Promise<void> {
  const [url, path] = process.argv.slice(2);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  let frozen = false;
  await undoChangeSet(
    pool,
    createReadStream(path).pipe(createGunzip()),
    { jobId: '00000000-0000-4000-8000-000000000000', dryRun: false, force: true, trust: { credentials: 'write', limitedRoles: false } },
    {
      tables: await offlineDomainTables(),
      lockTimeoutMs: 10_000,
      statementTimeoutMs: 60_000,
      saveChangeSet: () => Promise.resolve({ backupId: 'child', discard: () => Promise.resolve() }),
      onProgress: (progress) => {
        if (progress.phase !== 'applying' || progress.rowsDone === 0 || frozen) return;
        frozen = true;
        process.stdout.write(`UNDOING ${progress.rowsDone}\n`);
        // Block the event loop: the transaction stays open with its writes until the kill.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 120_000);
      },
    },
  );
  process.stdout.write('COMMITTED\n');
  await pool.end();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
