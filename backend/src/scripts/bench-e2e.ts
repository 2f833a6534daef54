import 'reflect-metadata';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { download } from '../cli/download.js';
import { waitAndDownloadExport } from '../cli/export-download.js';
import { importForm } from '../cli/commands/import.js';
import { fetchReport } from '../cli/commands/shared.js';
import { watchJob } from '../cli/job-watcher.js';
import { pgPool } from '../common/pg-pool.js';
import { generateSyntheticTenant, sizeForSets } from '../database/synthetic/synthetic-tenant.js';
import type { ExportFormat, ExportResult, ImportRequest, JobView } from '../shared/api-types.js';
import { argValue, benchTables, databaseUrl, hasFlag, quoteIdent } from './bench-common.js';
import { dropDatabase, ensureDatabase, freshMigratedDatabase, sql } from './bench-databases.js';
import { type E2eRow, renderE2e } from './bench-e2e-report.js';
import { psqlDump, psqlExport, psqlImport } from './bench-e2e-psql.js';
import { type BenchServer, dataDirFor, ensureBenchAdmin, startServer } from './bench-e2e-server.js';
import { redact, writeDoc } from './bench-report.js';
import { openScriptDatabase } from './script-database.js';

/**
 * npm run bench:e2e -- [--sets 100000] [--database-url URL] [--exports sql,csv,json]
 *                      [--imports sql,json] [--skip-imports] [--no-doc] [--doc PATH] [--json PATH] [--keep]
 *
 * Speed as the user waits for it. Starts the built product (backend/dist/main.js) on a free port,
 * signs in as the demo system admin and drives it over HTTP with the CLI's own pieces (ApiClient,
 * importForm, watchJob, download): exports from the POST to the downloaded file; imports from the
 * upload to the finished job, the pre-import backup (restore point) included. Each operation runs
 * on a server of its own, right after its psql baseline (bench-e2e-psql.ts), and reports its wall
 * time, the ratio baseline/ours, and the peak RSS of the API process (after a warm-up: see
 * warmUp). Exports read the source
 * database; imports go to `<source>_e2e_target`, made anew for each bundle format, where each
 * format runs: replace into the empty tenant, merge unchanged, skip, merge 10% changed, replace
 * into the existing (10% changed) tenant and clone as a new tenant, each after its dry run.
 */
const here = dirname(fileURLToPath(import.meta.url));
const MAIN = join(here, '..', 'main.js');
const REPO = resolve(here, '../../..');
const SEED = 42;
const EXPORT_TARGET = 0.8;

type Step = {
  step: string;
  label: string;
  strategy: 'replace' | 'merge' | 'skip';
  clone?: true;
  prepare?: 'change10';
  target: (format: ExportFormat) => number;
};

/** The import sequence on one target; each step runs after its dry run. */
const STEPS: Step[] = [
  { step: 'replace-fresh', label: 'replace into empty tenant', strategy: 'replace', target: () => 0.7 },
  { step: 'merge-same', label: 'merge, all unchanged', strategy: 'merge', target: (f) => (f === 'sql' ? 1.0 : 0.8) },
  { step: 'skip', label: 'skip, all exist', strategy: 'skip', target: (f) => (f === 'sql' ? 1.0 : 0.8) },
  { step: 'merge-10', label: 'merge, 10% changed', strategy: 'merge', prepare: 'change10', target: () => 0.7 },
  { step: 'replace-existing', label: 'replace into existing (10% changed)', strategy: 'replace', prepare: 'change10', target: () => 0.5 },
  { step: 'clone', label: 'clone as new tenant', strategy: 'merge', clone: true, target: () => 0.7 },
];

/**
 * A user meets a running server: before it is measured, each server does a small export (the
 * global library) and a dry run of it, so that the measured operation does not pay for the first
 * request's module loading, JIT and connections. Its peak RSS is reset afterwards.
 */
async function warmUp(server: BenchServer, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const started = await server.client.post<JobView>('/api/exports', { scope: 'global', format: 'json' });
  const job = await watchJob(server.client, started.id, { pollMs: 100 });
  if (job.status !== 'succeeded') throw new Error(`warm-up export ${job.status}: ${job.error?.message}`);
  const file = await download(server.client, `/api/exports/${job.id}/download`, { out: `${dir}/`, cwd: dir, fallbackName: 'warm.json' });
  const request: ImportRequest = { scope: 'global', strategy: 'merge', dryRun: true };
  const dry = await server.client.postForm<JobView>('/api/imports', await importForm(file.path, request));
  await watchJob(server.client, dry.id, { pollMs: 100 });
  await rm(dir, { recursive: true, force: true });
  await server.resetPeak();
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sizes = (argValue(args, 'sets') ?? '100000').split(',').map((x) => Number(x.trim().replace(/_/g, '')));
  if (sizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--sets: a comma-separated list of positive whole numbers');
  const list = (name: string, fallback: string) => (argValue(args, name) ?? fallback).split(',').filter(Boolean) as ExportFormat[];
  const exportFormats = list('exports', 'sql,csv,json');
  const importFormats = hasFlag(args, 'skip-imports') ? [] : list('imports', 'sql,json');
  if (importFormats.some((f) => !exportFormats.includes(f))) throw new Error('--imports: each format must also be exported (--exports)');
  const sourceUrl = argValue(args, 'database-url') ?? (process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/rythm_bench_e2e');
  const targetUrl = databaseUrl(sourceUrl, `${new URL(sourceUrl).pathname.slice(1)}_e2e_target`);
  const stepNames = (argValue(args, 'steps') ?? STEPS.map((s) => s.step).join(',')).split(',').filter(Boolean);
  const unknownStep = stepNames.find((name) => !STEPS.some((s) => s.step === name));
  if (unknownStep) throw new Error(`--steps: unknown step ${unknownStep} (known: ${STEPS.map((s) => s.step).join(', ')})`);
  // The steps run in their fixed order (each prepares the target for the next), whatever the list's.
  const steps = STEPS.filter((s) => stepNames.includes(s.step));
  const docPath = hasFlag(args, 'no-doc') ? null : resolve(argValue(args, 'doc') ?? join(REPO, 'docs/benchmarks.md'));
  const keep = hasFlag(args, 'keep');
  const work = await mkdtemp(join(os.tmpdir(), 'rythm-bench-e2e-'));
  const log = (m: string) => console.log(`[bench:e2e ${new Date().toISOString().slice(11, 19)} load ${os.loadavg()[0].toFixed(2)}] ${m}`);
  const startedAt = new Date();
  const loadStart = os.loadavg();
  const rows: E2eRow[] = [];
  const createdSource = await ensureDatabase(sourceUrl);
  const tableNames = (await benchTables()).map((t) => t.name);
  const vacuum = async (url: string) => {
    for (const t of tableNames) await sql(url, [`VACUUM (ANALYZE) ${quoteIdent(t)}`]);
  };
  const settle = (url: string) => sql(url, ['CHECKPOINT']).then(() => undefined);
  log(`source ${redact(sourceUrl)}; import target ${redact(targetUrl)}; work dir ${work}`);

  const withServer = async <T>(url: string, name: string, body: (server: BenchServer) => Promise<T>) => {
    const server = await startServer({ main: MAIN, databaseUrl: url, dataDir: dataDirFor(work, name), logFile: join(work, `server-${name}.log`) });
    try {
      await warmUp(server, join(work, `warm-${name}`));
      return await body(server);
    } finally {
      await server.stop();
    }
  };

  try {
    for (const size of sizes) {
      const slug = `bench-${size}`;
      const db = await openScriptDatabase({ ...process.env, DATABASE_URL: sourceUrl });
      let tenantId = (await db.dataSource.query<{ id: string }[]>('SELECT id FROM tenants WHERE slug = $1', [slug]))[0]?.id;
      if (!tenantId) {
        log(`seeding ${slug}`);
        tenantId = (await generateSyntheticTenant(pgPool(db.dataSource), { seed: SEED, slug, name: `Benchmark ${size} sets`, size: sizeForSets(size) }, log))
          .tenantId;
      }
      await db.close();
      await ensureBenchAdmin(sourceUrl);
      await vacuum(sourceUrl);
      const dir = join(work, String(size));
      const dump = join(dir, 'dump');
      await mkdir(dir, { recursive: true });
      log(`warm-up: psql dump of ${slug}`);
      const tables = await psqlDump(sourceUrl, tenantId, dump);

      const bundles: Partial<Record<ExportFormat, string>> = {};
      for (const format of exportFormats) {
        await settle(sourceUrl);
        const load1 = os.loadavg()[0];
        const base = await psqlExport(sourceUrl, tenantId, format, join(dir, `psql-${format}`));
        await rm(join(dir, `psql-${format}`), { recursive: true, force: true });
        await settle(sourceUrl);
        const row: E2eRow = {
          size,
          op: `export:${format}`,
          label: `export ${format.toUpperCase()} → downloaded file`,
          kind: 'export',
          rows: 0,
          bytes: 0,
          ms: 0,
          baselineMs: base.ms,
          target: { min: EXPORT_TARGET },
          peakRssKiB: 0,
          load1,
          parts: {},
        };
        try {
          await withServer(sourceUrl, 'source', async (server) => {
            const t0 = performance.now();
            const started = await server.client.post<JobView>('/api/exports', { scope: 'tenant', tenantId, format });
            let tJob = 0;
            const { job, file } = await waitAndDownloadExport(server.client, started.id, {
              out: `${dir}/`,
              cwd: dir,
              fallbackName: `bundle.${format}`,
              waitForJob: async () => {
                const ended = await watchJob(server.client, started.id, { pollMs: 100 });
                tJob = performance.now();
                return ended;
              },
            });
            const t1 = performance.now();
            if (!file) throw new Error(`export ${job.status}: ${job.error?.message}`);
            const result = job.result as unknown as ExportResult;
            row.ms = t1 - t0;
            row.rows = Object.values(result.rowCounts).reduce((a, b) => a + b, 0);
            row.bytes = file.sizeBytes;
            row.peakRssKiB = await server.peakKiB();
            const runMs = Date.parse(job.finishedAt!) - Date.parse(job.startedAt!);
            row.parts = { 'POST→job done': tJob - t0, 'job run': runMs, 'download after the job': t1 - tJob };
            if (format !== 'csv') bundles[format] = file.path;
            else await rm(file.path, { force: true });
          });
        } catch (error) {
          row.error = (error as Error).message;
        }
        rows.push(row);
        log(
          `${size} ${row.label}: ${row.error ?? `${(row.ms / 1000).toFixed(2)} s vs psql ${(row.baselineMs / 1000).toFixed(2)} s, RSS ${(row.peakRssKiB / 1024).toFixed(0)} MB ${JSON.stringify(row.parts)}`}`,
        );
      }

      for (const format of importFormats) {
        const file = bundles[format];
        if (!file) continue;
        log(`import target: a fresh migrated database for the ${format} bundle`);
        await freshMigratedDatabase(targetUrl);
        await ensureBenchAdmin(targetUrl);
        let clones = 0;
        for (const s of steps) {
          if (s.prepare === 'change10') {
            const [sets, sessions] = await sql(
              targetUrl,
              [
                `UPDATE sets SET reps = coalesce(reps, 0) + 1 WHERE tenant_id = $1 AND id::text < '1999999a'`,
                `UPDATE sessions SET notes = coalesce(notes, '') || ' (edited)' WHERE tenant_id = $1 AND id::text < '1999999a'`,
              ],
              [[tenantId], [tenantId]],
            );
            log(`changed ${sets.rowCount} sets and ${sessions.rowCount} sessions in the target`);
          }
          for (const dryRun of [true, false]) {
            const op = `import:${format}:${s.step}${dryRun ? '-dry' : ''}`;
            const label = `${format.toUpperCase()} ${dryRun ? 'dry run' : 'import'}: ${s.label}`;
            await vacuum(targetUrl);
            await settle(targetUrl);
            const load1 = os.loadavg()[0];
            const base = await psqlImport(targetUrl, dump, tables);
            await settle(targetUrl);
            const request: ImportRequest = { scope: 'tenant', strategy: s.strategy, dryRun };
            if (s.clone)
              Object.assign(request, {
                asNewTenant: true,
                newTenantSlug: `bench-clone-${format}-${++clones}`,
                newTenantName: `Clone ${clones}`,
                tagEmails: true,
              });
            const row: E2eRow = {
              size,
              op,
              label,
              kind: 'import',
              rows: 0,
              bytes: (await stat(file)).size,
              ms: 0,
              baselineMs: base.ms,
              target: dryRun ? { dryOf: `import:${format}:${s.step}` } : { min: s.target(format) },
              peakRssKiB: 0,
              load1,
              parts: {},
            };
            try {
              await withServer(targetUrl, `target-${format}`, async (server) => {
                const t0 = performance.now();
                const started = await server.client.postForm<JobView>('/api/imports', await importForm(file, request));
                const tUpload = performance.now();
                const job = await watchJob(server.client, started.id, { pollMs: 100 });
                const t1 = performance.now();
                row.ms = t1 - t0;
                row.peakRssKiB = await server.peakKiB();
                const report = await fetchReport(server.client, job);
                if (job.status !== 'succeeded' || !report?.valid)
                  throw new Error(`import ${job.status}: ${job.error?.message ?? JSON.stringify(report?.errors.slice(0, 2))}`);
                const stats = (job.result as { stats?: { rowsRead?: number; phaseMs?: Record<string, number> } } | null)?.stats;
                row.rows = stats?.rowsRead ?? 0;
                row.parts = { upload: tUpload - t0, 'job run': Date.parse(job.finishedAt!) - Date.parse(job.startedAt!), ...(stats?.phaseMs ?? {}) };
                const sum = (k: 'insert' | 'update' | 'unchanged' | 'delete' | 'skip') => report.plan.reduce((n, p) => n + p[k], 0);
                row.plan = [sum('insert'), sum('update'), sum('unchanged'), sum('delete'), sum('skip')].join('/');
              });
            } catch (error) {
              row.error = (error as Error).message;
            }
            rows.push(row);
            log(
              `${size} ${label}: ${row.error ?? `${(row.ms / 1000).toFixed(2)} s vs psql ${(row.baselineMs / 1000).toFixed(2)} s, RSS ${(row.peakRssKiB / 1024).toFixed(0)} MB ${JSON.stringify(row.parts)} plan ${row.plan}`}`,
            );
          }
        }
      }
      if (!keep) await rm(dir, { recursive: true, force: true });
    }
  } finally {
    if (!keep) {
      await dropDatabase(targetUrl).catch((e: Error) => log(`could not drop the target: ${e.message}`));
      if (createdSource) await dropDatabase(sourceUrl).catch((e: Error) => log(`could not drop the source: ${e.message}`));
      await rm(work, { recursive: true, force: true });
    }
  }

  const minutes = (Date.now() - startedAt.getTime()) / 60000;
  const loadEnd = os.loadavg();
  const header = [
    `Run ${startedAt.toISOString()} (${minutes.toFixed(1)} min): \`npm run bench:e2e -- ${args.join(' ')}\`, database ${redact(sourceUrl)}.`,
    '',
    `- Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), Node ${process.version}; load average (1, 5, 15 min) ${loadStart.map((x) => x.toFixed(2)).join(', ')} at the start, ${loadEnd.map((x) => x.toFixed(2)).join(', ')} at the end.`,
    '- ratio = psql wall time ÷ ours (1.00× = as fast as psql); each psql baseline ran right before the operation it judges.',
  ];
  const report = renderE2e(rows, header);
  console.log(`\n${report}`);
  const jsonPath = argValue(args, 'json');
  if (jsonPath) await writeFile(resolve(jsonPath), JSON.stringify({ startedAt, minutes, loadStart, loadEnd, rows }, null, 2));
  if (docPath) {
    await writeDoc(docPath, report, 'bench-e2e');
    console.log(`\nwritten to ${docPath}`);
  }
}

main().catch((error: unknown) => {
  console.error(`bench:e2e failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
