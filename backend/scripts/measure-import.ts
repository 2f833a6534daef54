/**
 * Measures the import engine: rows per second per strategy and peak RSS, for the demo tenant and
 * for a synthetic tenant of 500,000+ sets. Each import runs in its own child process so its peak
 * RSS (getrusage maxRSS) is its own.
 *
 * Run (from backend/, Node 22):
 *   npx esbuild scripts/measure-import.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=node_modules/.cache/rythm-scripts/measure-import.mjs
 *   node node_modules/.cache/rythm-scripts/measure-import.mjs [admin-url] [sets]
 *
 * admin-url defaults to postgres://postgres@127.0.0.1:5432/postgres, sets to 520000. The script
 * creates its scratch databases there and drops them at the end.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { seedDemo } from '../src/database/seed/demo-seed.js';
import { generateSyntheticTenant, sizeForSets } from '../src/database/synthetic/synthetic-tenant.js';
import type { ExportFormat, ImportStrategy } from '../src/shared/api-types.js';
import { exportBundle, normaliseExport } from '../src/transfer/export/index.js';
import { importBundle, offlineDomainTables } from '../src/transfer/import/index.js';

interface Measurement {
  label: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  peakRssMb: number;
  changed: number;
  phaseMs: Record<string, number>;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Child mode: one import, printed as one JSON line. */
async function measureOne(url: string, file: string, strategy: ImportStrategy, dryRun: boolean, label: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: url, max: 3 });
  const tables = await offlineDomainTables();
  const started = process.hrtime.bigint();
  const outcome = await importBundle(
    pool,
    file,
    { scope: 'tenant', targetTenantId: null, strategy, dryRun, actor: { role: 'system_admin', tenantId: null } },
    { preImportBackup: () => Promise.resolve({ backupId: 'measure' }), tables },
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (outcome.failure) throw new Error(`${label}: ${outcome.failure.message} ${JSON.stringify(outcome.report.errors.slice(0, 3))}`);
  const changed = outcome.report.plan.reduce((n, p) => n + p.insert + p.update + p.delete, 0);
  const result: Measurement = {
    label,
    rows: outcome.stats.rowsRead,
    seconds: Math.round(seconds * 100) / 100,
    rowsPerSecond: Math.round(outcome.stats.rowsRead / seconds),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1e2) / 10,
    changed,
    phaseMs: outcome.stats.phaseMs,
  };
  console.log(JSON.stringify(result));
  await pool.end();
}

async function createDatabase(admin: pg.Client, adminUrl: string, name: string, seed: boolean): Promise<string> {
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = withDatabase(adminUrl, name);
  const dataSource = new DataSource(dataSourceOptions(url));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  if (seed) await seedDemo(dataSource);
  await dataSource.destroy();
  return url;
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === '--child') {
    const [url, file, strategy, dryRun, label] = args;
    await measureOne(url, file, strategy as ImportStrategy, dryRun === 'dry', label);
    return;
  }
  const adminUrl = mode ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const sets = Number(args[0] ?? 520_000);
  const suffix = randomBytes(4).toString('hex');
  const sourceName = `rythm_mi_src_${suffix}`;
  const targets: string[] = [];
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const dir = await mkdtemp(join(tmpdir(), 'rythm-measure-import-'));
  try {
    const sourceUrl = await createDatabase(admin, adminUrl, sourceName, true);
    const source = new pg.Pool({ connectionString: sourceUrl, max: 4 });
    let started = Date.now();
    const synthetic = await generateSyntheticTenant(source, { seed: 42, slug: 'synthetic', name: 'Synthetic Load', size: sizeForSets(sets) });
    console.error(`synthetic tenant: ${JSON.stringify(synthetic.rowCounts)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const tables = await offlineDomainTables();
    const northside = (await source.query<{ id: string }>(`SELECT id FROM tenants WHERE slug = 'northside'`)).rows[0].id;

    const results: Measurement[] = [];
    const child = (url: string, file: string, strategy: ImportStrategy, dry: boolean, label: string) => {
      const out = execFileSync(process.execPath, [process.argv[1], '--child', url, file, strategy, dry ? 'dry' : 'real', label], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      const result = JSON.parse(out.trim().split('\n').at(-1)!) as Measurement;
      results.push(result);
      console.error(JSON.stringify(result));
    };

    for (const [slug, tenantId] of [
      ['northside', northside],
      ['synthetic', synthetic.tenantId],
    ] as const) {
      for (const format of ['json', 'sql', 'csv'] as ExportFormat[]) {
        const file = join(dir, `${slug}.${format}`);
        started = Date.now();
        await exportBundle(source, normaliseExport({ scope: 'tenant', tenantId, format, includeCredentials: true }), createWriteStream(file), { tables });
        console.error(`exported ${slug} ${format}: ${((await stat(file)).size / 1e6).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        const targetName = `rythm_mi_dst_${suffix}_${slug}_${format}`;
        const targetUrl = await createDatabase(admin, adminUrl, targetName, false);
        targets.push(targetName);
        child(targetUrl, file, 'replace', true, `${slug} ${format}: dry run into an empty database`);
        child(targetUrl, file, 'replace', false, `${slug} ${format}: replace into an empty database (all inserts)`);
        if (format === 'json') {
          child(targetUrl, file, 'merge', true, `${slug} ${format}: dry run, merge, all rows unchanged`);
          child(targetUrl, file, 'merge', false, `${slug} ${format}: merge, all rows unchanged`);
          child(targetUrl, file, 'skip', false, `${slug} ${format}: skip, all rows existing`);
          child(targetUrl, file, 'replace', false, `${slug} ${format}: replace, all rows unchanged`);
          // 10% of the sets changed in the database: merge rewrites exactly those.
          const pool = new pg.Pool({ connectionString: targetUrl, max: 1 });
          await pool.query(`UPDATE sets SET reps = coalesce(reps, 0) + 1 WHERE tenant_id = $1 AND abs(hashtext(id::text)) % 10 = 0`, [tenantId]);
          await pool.end();
          child(targetUrl, file, 'merge', false, `${slug} ${format}: merge, 10% of the sets changed`);
        }
        await admin.query(`DROP DATABASE IF EXISTS "${targetName}" WITH (FORCE)`);
      }
    }
    await source.end();

    console.log('| import | rows | rows changed | seconds | rows/s | peak RSS MB |');
    console.log('|---|---:|---:|---:|---:|---:|');
    for (const r of results) console.log(`| ${r.label} | ${r.rows} | ${r.changed} | ${r.seconds} | ${r.rowsPerSecond} | ${r.peakRssMb} |`);
    console.log('\nPhases (ms):');
    for (const r of results) console.log(`- ${r.label}: ${JSON.stringify(r.phaseMs)}`);
  } finally {
    for (const name of [sourceName, ...targets]) await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
