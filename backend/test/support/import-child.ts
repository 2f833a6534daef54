/**
 * Runs one import in its own process for the crash test (import-safety.integration-spec): when the
 * apply step reports its first progress — rows already written, transaction still open — it
 * prints APPLYING and freezes, so the test can SIGKILL it mid-apply.
 *
 * argv: <database url> <bundle path> <strategy>
 */
import pg from 'pg';
import type { ImportStrategy } from '../../src/shared/api-types.js';
import { offlineDomainTables } from '../../src/database/offline-tables.js';
import { importBundle } from '../../src/transfer/import/import-engine.js';
import { normaliseImport } from '../../src/transfer/import/import-selection.js';

async function main(): Promise<void> {
  const [url, path, strategy] = process.argv.slice(2);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  let frozen = false;
  await importBundle(
    pool,
    path,
    { ...normaliseImport({ scope: 'tenant', strategy: strategy as ImportStrategy, dryRun: false }), actor: { role: 'system_admin', tenantId: null } },
    {
      preImportBackup: () => Promise.resolve({ backupId: 'child-backup' }),
      tables: await offlineDomainTables(),
      onProgress: (progress) => {
        if (progress.phase !== 'applying' || frozen) return;
        frozen = true;
        process.stdout.write(`APPLYING ${progress.table}\n`);
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
