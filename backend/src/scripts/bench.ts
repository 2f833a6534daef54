import 'reflect-metadata';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pgPool } from '../common/pg-pool.js';
import { generateSyntheticTenant, sizeForSets } from '../database/synthetic/synthetic-tenant.js';
import { argValue, benchTables, databaseName, databaseUrl, hasFlag, quoteIdent, runWorker as runBenchWorker, type WorkerResult } from './bench-common.js';
import { dropDatabase, ensureDatabase, freshMigratedDatabase, sql } from './bench-databases.js';
import { type Machine, mb, type Op, redact, renderReport, type Row, type Target, writeDoc } from './bench-report.js';
import { openScriptDatabase } from './script-database.js';
import { startBenchS3 } from './bench-storage.js';

/** --storage s3: the local-disk row's time may grow by this much at most. */
const S3_WITHIN = 1.15;

/**
 * npm run bench -- [--sets 100000,1000000] [--database-url URL] [--import-formats sql,json,csv]
 *                  [--full-imports sql] [--repeat 1] [--skip-imports] [--keep] [--no-doc]
 *                  [--doc docs/benchmarks.md] [--json results.json] [--storage s3]
 *
 * Measures, in one run on one database, for each size: the COPY baselines (text, CSV, row_to_json,
 * COPY FROM into empty copies of the tables), our exports (JSON, SQL, CSV; plain and compressed;
 * to a file and to a null sink) and our imports of those bundles: replace into an empty database
 * and its dry run for every --import-formats format; for the --full-imports formats also merge of
 * unchanged rows, merge with 10% changed, skip, and the dry run of each. --repeat N takes the
 * median of N runs of each baseline, export, dry run and import that writes nothing (merge of
 * unchanged rows, skip); replace and merge-10% change the target, so they run once. Every measured
 * operation runs in its own child process (bench-worker.js) so its peak RSS is its own; this
 * process only orchestrates. Prints a table and writes it into docs/benchmarks.md.
 *
 * The database: --database-url, else DATABASE_URL, else the embedded PostgreSQL in DATA_DIR. A
 * --database-url whose database does not exist is created, and dropped at the end (unless --keep).
 * The import target is a scratch database `<source name>_import_target` on the same server, made
 * anew for each size and dropped at the end. Sizes are seeded (tenant `bench-<N>`, seed 42, as
 * `npm run bench:seed`) when missing.
 *
 * --storage s3 adds, after the local-disk rows of each size, the uncompressed exports written to
 * an S3 bucket and the replace imports read from it, through the app's storage layer, against a
 * local s3rver started for the run (bench-storage.ts); each row's target is the local row's time
 * plus 15%.
 */

const SEED = 42;
/** The import target sits beside the source (`<source>_import_target`), so two benches on one server do not share it. */
const targetDbOf = (sourceUrl: string) => `${databaseName(sourceUrl)}_import_target`;
const here = dirname(fileURLToPath(import.meta.url));
const WORKER = join(here, 'bench-worker.js');
const REPO = resolve(here, '../../..');

const EXPORTS: { op: Op; label: string; format: 'json' | 'sql' | 'csv'; compress: boolean; sink: 'file' | 'null'; baseline: Op; target?: Target }[] = [
  {
    op: 'export:json',
    label: 'export JSON → file',
    format: 'json',
    compress: false,
    sink: 'file',
    baseline: 'baseline:json',
    target: { kind: 'ratio', min: 0.75 },
  },
  { op: 'export:json.gz', label: 'export JSON gzip → file', format: 'json', compress: true, sink: 'file', baseline: 'baseline:json' },
  { op: 'export:json>null', label: 'export JSON → null sink', format: 'json', compress: false, sink: 'null', baseline: 'baseline:json' },
  {
    op: 'export:sql',
    label: 'export SQL → file',
    format: 'sql',
    compress: false,
    sink: 'file',
    baseline: 'baseline:text',
    target: { kind: 'ratio', min: 0.9 },
  },
  { op: 'export:sql.gz', label: 'export SQL gzip → file', format: 'sql', compress: true, sink: 'file', baseline: 'baseline:text' },
  { op: 'export:sql>null', label: 'export SQL → null sink', format: 'sql', compress: false, sink: 'null', baseline: 'baseline:text' },
  {
    op: 'export:csv',
    label: 'export CSV (zip) → file',
    format: 'csv',
    compress: false,
    sink: 'file',
    baseline: 'baseline:csv',
    target: { kind: 'ratio', min: 0.9 },
  },
  { op: 'export:csv>null', label: 'export CSV (zip) → null sink', format: 'csv', compress: false, sink: 'null', baseline: 'baseline:csv' },
];

const EXTENSION = { json: 'json', sql: 'sql', csv: 'zip' } as const;

/** The import sequence on one target database; `prepare` runs (unmeasured) before the step. */
/** `writesNothing`: the import leaves the target as it was, so (like every dry run) it can be repeated. */
const IMPORT_STEPS: {
  step: string;
  label: string;
  strategy: 'replace' | 'merge' | 'skip';
  dryRun: boolean;
  prepare?: 'empty' | 'change10';
  target: Target;
  writesNothing?: true;
}[] = [
  {
    step: 'replace-dry',
    label: 'dry run: replace into empty db',
    strategy: 'replace',
    dryRun: true,
    prepare: 'empty',
    target: { kind: 'dry', of: 'replace' },
  },
  { step: 'replace', label: 'import: replace into empty db', strategy: 'replace', dryRun: false, target: { kind: 'ratio', min: 0.7 } },
  { step: 'merge-same-dry', label: 'dry run: merge, all unchanged', strategy: 'merge', dryRun: true, target: { kind: 'dry', of: 'merge-same' } },
  { step: 'merge-same', label: 'import: merge, all unchanged', strategy: 'merge', dryRun: false, target: { kind: 'ratio', min: 1.0 }, writesNothing: true },
  {
    step: 'merge-10-dry',
    label: 'dry run: merge, 10% changed',
    strategy: 'merge',
    dryRun: true,
    prepare: 'change10',
    target: { kind: 'dry', of: 'merge-10' },
  },
  { step: 'merge-10', label: 'import: merge, 10% changed', strategy: 'merge', dryRun: false, target: { kind: 'ratio', min: 0.6 } },
  { step: 'skip-dry', label: 'dry run: skip, all exist', strategy: 'skip', dryRun: true, target: { kind: 'dry', of: 'skip' } },
  { step: 'skip', label: 'import: skip, all exist', strategy: 'skip', dryRun: false, target: { kind: 'ratio', min: 1.0 }, writesNothing: true },
];

const runWorker = (op: string, args: Record<string, unknown>): Promise<WorkerResult> => runBenchWorker(WORKER, [], op, args);

const median = (xs: WorkerResult[]) => [...xs].sort((a, b) => a.ms - b.ms)[Math.floor((xs.length - 1) / 2)];

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizes = (argValue(args, 'sets') ?? '100000,1000000').split(',').map((s) => Number(s.trim().replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sets: a comma-separated list of positive whole numbers');
  const formatList = (name: string, fallback: string) => {
    const list = (argValue(args, name) ?? fallback).split(',').filter(Boolean) as ('json' | 'sql' | 'csv')[];
    if (list.some((f) => !['json', 'sql', 'csv'].includes(f))) throw new Error(`--${name}: json, sql and/or csv`);
    return list;
  };
  // Every format's import is measured for replace (what differs between formats is the reading);
  // the whole sequence (merge, skip, dry runs) for the --full-imports formats.
  const importFormats = formatList('import-formats', 'sql,json,csv');
  const fullImports = formatList('full-imports', 'sql');
  const repeat = Math.max(1, Number(argValue(args, 'repeat') ?? 1));
  const skipImports = hasFlag(args, 'skip-imports');
  const keep = hasFlag(args, 'keep');
  const docPath = hasFlag(args, 'no-doc') ? null : resolve(argValue(args, 'doc') ?? join(REPO, 'docs/benchmarks.md'));
  const jsonPath = argValue(args, 'json');
  const requestedUrl = argValue(args, 'database-url') ?? (process.env.DATABASE_URL?.trim() || undefined);
  const storageArg = argValue(args, 'storage') ?? 'local';
  if (storageArg !== 'local' && storageArg !== 's3') throw new Error('--storage: local or s3');
  const s3 = storageArg === 's3' ? await startBenchS3() : null;

  const startedAt = new Date();
  const loadStart = os.loadavg();
  let createdSource = false;
  if (requestedUrl) createdSource = await ensureDatabase(requestedUrl);
  const db = await openScriptDatabase({ ...process.env, DATABASE_URL: requestedUrl ?? '' });
  const sourceUrl = db.url;
  const targetUrl = databaseUrl(sourceUrl, targetDbOf(sourceUrl));
  const work = await mkdtemp(join(os.tmpdir(), 'rythm-bench-'));
  const rows: Row[] = [];
  const log = (m: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)} load ${os.loadavg()[0].toFixed(2)}] ${m}`);
  let pgVersion = '';
  const pgSettings: Record<string, string> = {};
  try {
    pgVersion = (await db.dataSource.query<{ v: string }[]>('SELECT version() AS v'))[0].v;
    for (const name of ['shared_buffers', 'work_mem', 'maintenance_work_mem', 'max_wal_size', 'synchronous_commit', 'fsync']) {
      pgSettings[name] = (await db.dataSource.query<Record<string, string>[]>(`SHOW ${name}`))[0][name];
    }
    log(`source ${redact(sourceUrl)}${createdSource ? ' (created)' : ''}; import target ${redact(targetUrl)}; work dir ${work}`);
    log(pgVersion);
    const tableNames = (await benchTables()).map((t) => t.name);
    // Every measurement starts after a CHECKPOINT: otherwise the one right after a large write
    // (or a VACUUM, which dirties every page it marks) shares the machine with the write-back of
    // those pages, and a dry run measured after an import looked 35% slower than the import.
    let checkpoints = true;
    const settle = async () => {
      if (!checkpoints) return;
      try {
        await db.dataSource.query('CHECKPOINT');
      } catch (error) {
        checkpoints = false;
        log(`no CHECKPOINT before measurements (${(error as Error).message}): figures right after large writes will be noisier`);
      }
    };

    for (const size of sizes) {
      const slug = `bench-${size}`;
      let tenant = (await db.dataSource.query<{ id: string }[]>('SELECT id FROM tenants WHERE slug = $1', [slug]))[0]?.id;
      if (!tenant) {
        log(`seeding ${slug}`);
        const seeded = await generateSyntheticTenant(pgPool(db.dataSource), { seed: SEED, slug, name: `Benchmark ${size} sets`, size: sizeForSets(size) }, log);
        tenant = seeded.tenantId;
      }
      log(`VACUUM ANALYZE`);
      for (const t of tableNames) await db.dataSource.query(`VACUUM (ANALYZE) ${quoteIdent(t)}`);
      const dir = join(work, String(size));
      const dump = join(dir, 'dump');
      await mkdir(dump, { recursive: true });

      const measure = async (
        op: Op,
        label: string,
        worker: string,
        workerArgs: Record<string, unknown>,
        extra: Partial<Row> = {},
        times = repeat,
      ): Promise<Row> => {
        const load1 = os.loadavg()[0];
        const runs: WorkerResult[] = [];
        for (let i = 0; i < times; i++) {
          await settle();
          const r = await runWorker(worker, workerArgs);
          runs.push(r);
          if (!r.ok) break;
        }
        const result = runs.every((r) => r.ok) ? median(runs) : runs[runs.length - 1];
        const row: Row = { size, op, label, result, load1, ...extra };
        rows.push(row);
        log(
          `${size} ${label}: ${result.ok ? `${(result.ms / 1000).toFixed(2)} s, ${result.rows} rows, ${mb(result.bytes)} MB, RSS ${(result.maxRssKiB / 1024).toFixed(0)} MB` : `FAILED ${result.error}`}`,
        );
        if (result.detail) log(`  ${JSON.stringify(result.detail)}`);
        return row;
      };

      // Warm-up (unmeasured): reads every row once into the cache and dumps the COPY text the import baseline loads.
      log(`warm-up and dump of ${slug}`);
      const warm = await runWorker('copy-out', { url: sourceUrl, tenantId: tenant, format: 'text', dumpDir: dump });
      if (!warm.ok) throw new Error(`warm-up failed: ${warm.error}`);

      await measure('baseline:text', 'baseline: COPY TO, text (SQL)', 'copy-out', { url: sourceUrl, tenantId: tenant, format: 'text' });
      await measure('baseline:csv', 'baseline: COPY TO, CSV', 'copy-out', { url: sourceUrl, tenantId: tenant, format: 'csv' });
      await measure('baseline:json', 'baseline: COPY TO, row_to_json', 'copy-out', { url: sourceUrl, tenantId: tenant, format: 'json' });

      const bundles: Partial<Record<'json' | 'sql' | 'csv', string>> = {};
      for (const e of EXPORTS) {
        const out = e.sink === 'file' ? join(dir, `bundle-${e.op.replace(/[^a-z.]/g, '-')}.${EXTENSION[e.format]}${e.compress ? '.gz' : ''}`) : null;
        const row = await measure(
          e.op,
          e.label,
          'export',
          { url: sourceUrl, tenantId: tenant, format: e.format, compress: e.compress, out },
          { baseline: e.baseline, target: e.target },
        );
        if (out && !e.compress && row.result?.ok) bundles[e.format] = out;
        // Compressed bundles are not imported; keep the disk use down.
        if (out && e.compress) await rm(out, { force: true });
      }

      log(`import target: a fresh migrated database`);
      await freshMigratedDatabase(targetUrl);
      await measure(
        'baseline:import-real',
        'baseline: COPY FROM, real tables (FKs)',
        'copy-in',
        { url: targetUrl, dumpDir: dump, mode: 'real' },
        { baseline: 'baseline:import' },
        1,
      );
      await measure('baseline:import', 'baseline: COPY FROM, LIKE copies', 'copy-in', { url: targetUrl, dumpDir: dump, mode: 'like' }, {}, 1);

      for (const format of importFormats) {
        let unavailable: string | null = skipImports ? 'skipped (--skip-imports)' : bundles[format] ? null : `the ${format} export failed`;
        const steps = fullImports.includes(format) ? IMPORT_STEPS : IMPORT_STEPS.filter((s) => s.strategy === 'replace');
        for (const s of steps) {
          const op = `import:${format}:${s.step}`;
          const label = `${format.toUpperCase()} ${s.label}`;
          const target = s.target.kind === 'dry' ? { ...s.target, of: `import:${format}:${s.target.of}` } : s.target;
          if (unavailable) {
            rows.push({ size, op, label, result: null, skipped: unavailable, load1: os.loadavg()[0], baseline: 'baseline:import', target });
            continue;
          }
          if (s.prepare === 'empty') await sql(targetUrl, [`TRUNCATE ${tableNames.map(quoteIdent).join(', ')} CASCADE`]);
          if (s.prepare === 'change10') {
            // About 10% of the sets and sessions (uuid text below 0x1999999a) change, as edited in the target.
            const [sets, sessions] = await sql(
              targetUrl,
              [
                `UPDATE sets SET reps = coalesce(reps, 0) + 1 WHERE tenant_id = $1 AND id::text < '1999999a'`,
                `UPDATE sessions SET notes = coalesce(notes, '') || ' (edited)' WHERE tenant_id = $1 AND id::text < '1999999a'`,
              ],
              [[tenant], [tenant]],
            );
            log(`changed ${sets.rowCount} sets and ${sessions.rowCount} sessions in the target`);
          }
          // Each step starts from a vacuumed, analysed target (as autovacuum would leave it), so a
          // dry run (always first) does not pay for setting the hint bits of the rows just written.
          for (const t of tableNames) await sql(targetUrl, [`VACUUM (ANALYZE) ${quoteIdent(t)}`]);
          const row = await measure(
            op,
            label,
            'import',
            { url: targetUrl, file: bundles[format], strategy: s.strategy, dryRun: s.dryRun },
            { baseline: 'baseline:import', target },
            s.dryRun || s.writesNothing ? repeat : 1,
          );
          if (!row.result?.ok) {
            const reason = row.result?.error?.split('\n')[0] ?? 'unknown';
            if (s.step === 'replace') {
              unavailable = `the replace import failed (${reason.slice(0, 120)})`;
            }
          }
        }
      }
      if (s3) {
        // The same exports and replace imports with the bundle in the bucket, read and written by the storage layer.
        const stored: Partial<Record<'json' | 'sql' | 'csv', string>> = {};
        for (const e of EXPORTS.filter((x) => x.sink === 'file' && !x.compress)) {
          const name = `bench-${size}-${e.format}.${EXTENSION[e.format]}`;
          const row = await measure(
            `${e.op}@s3`,
            `${e.label.replace('→ file', '→ S3')} (s3rver)`,
            'export',
            { url: sourceUrl, tenantId: tenant, format: e.format, compress: false, out: name, s3: { endpoint: s3.endpoint, bucket: s3.bucket } },
            { baseline: e.baseline, target: { kind: 'within', of: e.op, max: S3_WITHIN } },
          );
          if (row.result?.ok) stored[e.format] = name;
        }
        for (const format of skipImports ? [] : importFormats) {
          const op = `import:${format}:replace@s3`;
          const label = `${format.toUpperCase()} import: replace into empty db, bundle from S3 (s3rver)`;
          const target: Target = { kind: 'within', of: `import:${format}:replace`, max: S3_WITHIN };
          if (!stored[format]) {
            rows.push({ size, op, label, result: null, skipped: `the ${format} export to S3 failed`, load1: os.loadavg()[0], target });
            continue;
          }
          await sql(targetUrl, [`TRUNCATE ${tableNames.map(quoteIdent).join(', ')} CASCADE`]);
          for (const t of tableNames) await sql(targetUrl, [`VACUUM (ANALYZE) ${quoteIdent(t)}`]);
          await measure(
            op,
            label,
            'import',
            { url: targetUrl, file: stored[format], strategy: 'replace', dryRun: false, s3: { endpoint: s3.endpoint, bucket: s3.bucket } },
            { baseline: 'baseline:import', target },
            1,
          );
        }
      }
      if (!keep) await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await s3?.close();
    await db.close();
    if (!keep) {
      await dropDatabase(targetUrl).catch((e: Error) => log(`could not drop ${targetDbOf(sourceUrl)}: ${e.message}`));
      if (createdSource && requestedUrl) await dropDatabase(requestedUrl).catch((e: Error) => log(`could not drop the source: ${e.message}`));
      await rm(work, { recursive: true, force: true });
    }
  }

  const loadEnd = os.loadavg();
  const finishedAt = new Date();
  const machine: Machine = {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: os.totalmem() / 1024 ** 3,
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: pgVersion,
    pgSettings,
    loadStart,
    loadEnd,
    startedAt: startedAt.toISOString(),
    minutes: (finishedAt.getTime() - startedAt.getTime()) / 60000,
  };
  const command = `npm run bench -- ${args.join(' ')}`.trim();
  const report = renderReport(rows, sizes, machine, command, redact(sourceUrl));
  console.log(`\n${report}`);
  if (jsonPath) await writeFile(resolve(jsonPath), JSON.stringify({ machine, rows }, null, 2));
  if (docPath) {
    await writeDoc(docPath, report);
    console.log(`\nwritten to ${docPath}`);
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
