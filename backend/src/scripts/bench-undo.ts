import 'reflect-metadata';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { writeBackupFile, writeChangeSetFile } from '../backup/backup-file.js';
import { pgPool } from '../common/pg-pool.js';
import { generateSyntheticTenant, sizeForSets } from '../database/synthetic/synthetic-tenant.js';
import type { ImportStrategy } from '../shared/api-types.js';
import { LocalStorage } from '../storage/local-storage.js';
import { undoChangeSet } from '../transfer/change-set/undo-engine.js';
import { exportBundle } from '../transfer/export/export-bundle.js';
import { normaliseExport } from '../transfer/export/export-selection.js';
import { importBundle } from '../transfer/import/import-engine.js';
import { normaliseImport } from '../transfer/import/import-selection.js';
import { argValue, benchPool, benchTables, hasFlag, reportWorkerResult, runWorker as runBenchWorker, type WorkerResult } from './bench-common.js';
import { openScriptDatabase } from './script-database.js';

/**
 * npm run bench:undo -- [--sets 100000,1000000] [--database-url URL] [--no-doc]
 *
 * What an import's restore point costs (issue 14): for each size, on tenant `bench-<N>` (seeded
 * when missing), the same imports with a change set and with a full backup, and the undo of each
 * change set: merge of unchanged rows, merge with 10% of the sets changed, replace into the
 * existing tenant (10% changed, 1% added since, which the replace deletes). Every measured
 * operation runs in its own process (this script with `worker`), so its peak RSS is its own.
 * Prints a table and writes it into docs/benchmarks.md between the bench-undo markers.
 */
const SEED = 42;
const here = fileURLToPath(import.meta.url);
const REPO = resolve(here, '../../../..');

interface ImportArgs {
  url: string;
  file: string;
  strategy: ImportStrategy;
  restorePoint: 'change-set' | 'full';
  dir: string;
}

interface UndoArgs {
  url: string;
  changeSet: string;
  dir: string;
  dryRun: boolean;
}

/** The local driver on the work directory: what the app does with STORAGE_DRIVER=local. */
const localStorage = (dir: string) => new LocalStorage({ jobs: dir, backups: dir });

async function importWorker(args: ImportArgs): Promise<WorkerResult> {
  const tables = await benchTables();
  const pool = benchPool(args.url, 4);
  try {
    let changeSet: { path: string; sizeBytes: number } | null = null;
    let full: { sizeBytes: number; ms: number } | null = null;
    const started = performance.now();
    const outcome = await importBundle(
      pool,
      args.file,
      { ...normaliseImport({ scope: 'tenant', strategy: args.strategy, dryRun: false }), actor: { role: 'system_admin', tenantId: null } },
      {
        tables,
        jobId: '00000000-0000-4000-8000-00000000bench',
        restorePoint: () => Promise.resolve(args.restorePoint),
        // What BackupService does, without the backups row (one INSERT).
        preImportBackup: async (scope, tenantId) => {
          const t0 = performance.now();
          const file = await writeBackupFile(pool, tables, { scope: 'tenant', tenantId, kind: 'pre-import', tenantSlug: 'bench' }, localStorage(args.dir));
          full = { sizeBytes: file.sizeBytes, ms: performance.now() - t0 };
          return { backupId: scope };
        },
        saveChangeSet: async (_client, _meta, write) => {
          const file = await writeChangeSetFile(localStorage(args.dir), 'bench', write);
          changeSet = { path: join(args.dir, file.fileName), sizeBytes: file.sizeBytes };
          return { backupId: 'bench', discard: () => Promise.resolve() };
        },
      },
    );
    const ms = performance.now() - started;
    const plan = outcome.report.plan;
    const sum = (key: 'insert' | 'update' | 'delete') => plan.reduce((n, p) => n + p[key], 0);
    const detail = {
      phaseMs: outcome.stats.phaseMs,
      plan: { insert: sum('insert'), update: sum('update'), delete: sum('delete') },
      changeSet,
      full,
    };
    if (outcome.failure) return { ok: false, ms, rows: outcome.stats.rowsRead, bytes: 0, maxRssKiB: 0, error: outcome.failure.message, detail };
    return { ok: true, ms, rows: outcome.stats.rowsRead, bytes: 0, maxRssKiB: 0, detail };
  } finally {
    await pool.end();
  }
}

async function undoWorker(args: UndoArgs): Promise<WorkerResult> {
  const tables = await benchTables();
  const pool = benchPool(args.url, 2);
  try {
    let own: number | null = null;
    const started = performance.now();
    const outcome = await undoChangeSet(
      pool,
      createReadStream(args.changeSet).pipe(createGunzip()),
      { jobId: '00000000-0000-4000-8000-0000000undo0', dryRun: args.dryRun, force: false, trust: { credentials: 'write', limitedRoles: false } },
      {
        tables,
        lockTimeoutMs: 10_000,
        statementTimeoutMs: 3_600_000,
        saveChangeSet: async (_client, _meta, write) => {
          const file = await writeChangeSetFile(localStorage(args.dir), 'bench-undo', write);
          own = file.sizeBytes;
          return { backupId: 'bench-undo', discard: () => Promise.resolve() };
        },
      },
    );
    const ms = performance.now() - started;
    const rows = outcome.plan.reduce((n, p) => n + p.delete + p.restore + p.reinsert, 0);
    const detail = { plan: outcome.plan, conflicts: outcome.conflicts.length + outcome.moreConflicts, ownChangeSetBytes: own };
    if (outcome.failure) return { ok: false, ms, rows, bytes: 0, maxRssKiB: 0, error: outcome.failure.message, detail };
    return { ok: true, ms, rows, bytes: 0, maxRssKiB: 0, detail };
  } finally {
    await pool.end();
  }
}

const runWorker = (op: 'import' | 'undo', args: ImportArgs | UndoArgs): Promise<WorkerResult> => runBenchWorker(here, ['worker'], op, args);

interface Line {
  sets: number;
  operation: string;
  restorePoint: string;
  totalMs: number;
  restorePointMs: number | null;
  sizeBytes: number | null;
  rssMb: number;
  rows: string;
}

const s = (ms: number | null) => (ms === null ? '—' : `${(ms / 1000).toFixed(2)} s`);
const mbOf = (bytes: number | null) => (bytes === null ? '—' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

function render(lines: Line[]): string {
  const out = [
    '| sets | operation | restore point | total | of which restore point | share | file | peak RSS | rows |',
    '|---:|---|---|---:|---:|---:|---:|---:|---|',
  ];
  for (const l of lines) {
    const share = l.restorePointMs === null ? '—' : `${Math.round((100 * l.restorePointMs) / l.totalMs)}%`;
    out.push(
      `| ${l.sets.toLocaleString('en')} | ${l.operation} | ${l.restorePoint} | ${s(l.totalMs)} | ${s(l.restorePointMs)} | ${share} | ${mbOf(l.sizeBytes)} | ${l.rssMb.toFixed(0)} MB | ${l.rows} |`,
    );
  }
  return out.join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'worker') {
    const [, op, json] = args;
    await reportWorkerResult(() => (op === 'import' ? importWorker(JSON.parse(json) as ImportArgs) : undoWorker(JSON.parse(json) as UndoArgs)));
    return;
  }
  const sizes = (argValue(args, 'sets') ?? '100000,1000000').split(',').map((n) => Number(n.trim().replace(/_/g, '')));
  const requestedUrl = argValue(args, 'database-url') ?? (process.env.DATABASE_URL?.trim() || undefined);
  const db = await openScriptDatabase({ ...process.env, DATABASE_URL: requestedUrl ?? '' });
  const work = await mkdtemp(join(os.tmpdir(), 'rythm-bench-undo-'));
  const log = (m: string) => console.log(`[bench:undo ${new Date().toISOString().slice(11, 19)} load ${os.loadavg()[0].toFixed(2)}] ${m}`);
  const lines: Line[] = [];
  try {
    const tables = await benchTables();
    for (const size of sizes) {
      const slug = `bench-${size}`;
      let tenant = (await db.dataSource.query<{ id: string }[]>('SELECT id FROM tenants WHERE slug = $1', [slug]))[0]?.id;
      if (!tenant) {
        log(`seeding ${slug}`);
        tenant = (await generateSyntheticTenant(pgPool(db.dataSource), { seed: SEED, slug, name: `Benchmark ${size} sets`, size: sizeForSets(size) }, log))
          .tenantId;
      }
      const dir = join(work, String(size));
      await mkdir(dir, { recursive: true });
      const bundle = join(dir, 'bundle.sql');
      log(`exporting ${slug} as SQL`);
      await exportBundle(pgPool(db.dataSource), normaliseExport({ scope: 'tenant', tenantId: tenant, format: 'sql' }), createWriteStream(bundle), { tables });
      const settle = async () => {
        for (const t of ['sets', 'sessions', 'users']) await db.dataSource.query(`VACUUM (ANALYZE) "${t}"`);
        await db.dataSource.query('CHECKPOINT');
      };
      // 10% of the sets changed since the export (the merge puts them back); 1% more sets added (a replace deletes them).
      const drift = async (added: boolean) => {
        await db.dataSource.query(`UPDATE sets SET reps = coalesce(reps, 0) + 1 WHERE tenant_id = $1 AND abs(hashtext(id::text)) % 10 = 0`, [tenant]);
        if (added)
          await db.dataSource.query(
            `INSERT INTO sets (tenant_id, session_id, exercise_id, set_index, reps, weight_kg, rpe)
             SELECT tenant_id, session_id, exercise_id, set_index + 1000, reps, weight_kg, rpe FROM sets WHERE tenant_id = $1 AND abs(hashtext(id::text)) % 100 = 1`,
            [tenant],
          );
      };
      const scenarios: { name: string; strategy: ImportStrategy; before: () => Promise<void> }[] = [
        { name: 'merge, every row unchanged', strategy: 'merge', before: () => Promise.resolve() },
        { name: 'merge, 10% of sets changed', strategy: 'merge', before: () => drift(false) },
        { name: 'replace into the existing tenant (10% changed, 1% added)', strategy: 'replace', before: () => drift(true) },
      ];
      for (const scenario of scenarios) {
        // The change set first: its undo brings the tenant back to the state before the import,
        // which the full-backup run then imports into again.
        await scenario.before();
        for (const restorePoint of ['change-set', 'full'] as const) {
          await settle();
          log(`${scenario.name}, ${restorePoint}`);
          const result = await runWorker('import', { url: db.url, file: bundle, strategy: scenario.strategy, restorePoint, dir });
          if (!result.ok) throw new Error(`${scenario.name} (${restorePoint}): ${result.error}`);
          const detail = result.detail as {
            phaseMs: Record<string, number>;
            plan: { insert: number; update: number; delete: number };
            changeSet: { path: string; sizeBytes: number } | null;
            full: { sizeBytes: number; ms: number } | null;
          };
          lines.push({
            sets: size,
            operation: `import: ${scenario.name}`,
            restorePoint,
            totalMs: result.ms,
            restorePointMs: detail.phaseMs.backup ?? null,
            sizeBytes: detail.changeSet?.sizeBytes ?? detail.full?.sizeBytes ?? null,
            rssMb: result.maxRssKiB / 1024,
            rows: `${detail.plan.insert} ins, ${detail.plan.update} upd, ${detail.plan.delete} del`,
          });
          if (restorePoint === 'change-set' && detail.changeSet) {
            await settle();
            for (const dryRun of [true, false]) {
              log(`undo of ${scenario.name}${dryRun ? ' (dry run)' : ''}`);
              const undone = await runWorker('undo', { url: db.url, changeSet: detail.changeSet.path, dir, dryRun });
              if (!undone.ok) throw new Error(`undo of ${scenario.name}: ${undone.error}`);
              const plan = (undone.detail as { plan: { delete: number; restore: number; reinsert: number }[] }).plan;
              const sum = (key: 'delete' | 'restore' | 'reinsert') => plan.reduce((n, p) => n + p[key], 0);
              lines.push({
                sets: size,
                operation: `${dryRun ? 'undo dry run' : 'undo'}: ${scenario.name}`,
                restorePoint: dryRun ? '—' : 'change-set (its own)',
                totalMs: undone.ms,
                restorePointMs: null,
                sizeBytes: dryRun ? null : ((undone.detail as { ownChangeSetBytes: number | null }).ownChangeSetBytes ?? null),
                rssMb: undone.maxRssKiB / 1024,
                rows: `${sum('delete')} del, ${sum('restore')} restored, ${sum('reinsert')} reins`,
              });
            }
          }
        }
      }
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await db.close();
    await rm(work, { recursive: true, force: true });
  }
  const table = render(lines);
  console.log(`\n${table}\n`);
  if (!hasFlag(args, 'no-doc')) {
    const doc = resolve(argValue(args, 'doc') ?? join(REPO, 'docs/benchmarks.md'));
    const text = await readFile(doc, 'utf8');
    const begin = '<!-- bench-undo:begin -->';
    const end = '<!-- bench-undo:end -->';
    const section = `${begin}\n\nRun ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} cores, ${os.cpus()[0]?.model ?? ''}; load at the end ${os
      .loadavg()[0]
      .toFixed(2)}.\n\n${table}\n\n${end}`;
    const next = text.includes(begin)
      ? text.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), section)
      : `${text.trimEnd()}\n\n## Restore points and undo (npm run bench:undo)\n\n<!-- prettier-ignore-start -->\n${section}\n<!-- prettier-ignore-end -->\n`;
    await writeFile(doc, next);
    log(`wrote ${doc}`);
  }
}

void main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
