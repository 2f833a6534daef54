/**
 * Measures the export engine: rows per second and peak RSS, for the demo tenant and for a
 * synthetic tenant of 500,000+ sets, in every encoding. Each export runs in its own child process
 * so its peak RSS (getrusage maxrss) is its own.
 *
 * Run (from backend/, Node 22):
 *   npx esbuild scripts/measure-export.ts --bundle --platform=node --format=esm --packages=external \
 *     --outfile=node_modules/.cache/rythm-scripts/measure-export.mjs
 *   node node_modules/.cache/rythm-scripts/measure-export.mjs [admin-url] [sessions-per-user]
 *
 * admin-url defaults to postgres://postgres@127.0.0.1:5432/postgres. The script creates its own
 * scratch database there and drops it at the end.
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { seedDemo } from '../src/database/seed/demo-seed.js';
import type { ExportFormat } from '../src/shared/api-types.js';
import { domainTables } from '../src/transfer/domain-graph.js';
import { exportBundle, normaliseExport } from '../src/transfer/export/index.js';

const SYNTHETIC_USERS = 200;
const SETS_PER_SESSION = 10;

interface Measurement {
  label: string;
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  baselineRssMb: number;
  peakRssMb: number;
  sampledPeakRssMb: number;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Child mode: one export, printed as one JSON line. */
async function measureOne(url: string, tenantSlug: string, format: ExportFormat, compress: boolean): Promise<void> {
  const dataSource = new DataSource(dataSourceOptions(url));
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  const tables = domainTables(dataSource);
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const [{ id }] = (await pool.query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [tenantSlug])).rows;
  const dir = await mkdtemp(join(tmpdir(), 'rythm-measure-'));
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let sampled = baseline;
  const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage().rss)), 10);
  const started = process.hrtime.bigint();
  const outcome = await exportBundle(pool, normaliseExport({ scope: 'tenant', tenantId: id, format, compress }), createWriteStream(join(dir, 'bundle')), {
    tables,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  clearInterval(sampler);
  sampled = Math.max(sampled, process.memoryUsage().rss);
  const rows = Object.values(outcome.summary.rowCounts).reduce((a, b) => a + b, 0);
  const result: Measurement = {
    label: `${tenantSlug} ${format}${compress ? '.gz' : ''}`,
    rows,
    bytes: outcome.bytes,
    seconds: Math.round(seconds * 1000) / 1000,
    rowsPerSecond: Math.round(rows / seconds),
    baselineRssMb: Math.round(baseline / 1e5) / 10,
    // maxRSS is in kilobytes: the peak of this process's whole life (which is only this export).
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1e2) / 10,
    sampledPeakRssMb: Math.round(sampled / 1e5) / 10,
  };
  console.log(JSON.stringify(result));
  await pool.end();
  await rm(dir, { recursive: true, force: true });
}

async function createSynthetic(url: string, sessionsPerUser: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const tenant = (await client.query<{ id: string }>(`INSERT INTO tenants (name, slug) VALUES ('Synthetic Load', 'synthetic') RETURNING id`)).rows[0].id;
    await client.query(
      `INSERT INTO users (tenant_id, email, password_hash, first_name, last_name, role)
       SELECT $1, 'athlete' || g || '@synthetic.example', '$2a$10$abcdefghijklmnopqrstuuJ3JQZBsyQG7n9vnMzn6mFnEHEQuQ1a', 'First' || g, 'Last' || g, 'athlete'
       FROM generate_series(1, $2::int) g`,
      [tenant, SYNTHETIC_USERS],
    );
    await client.query(
      `INSERT INTO programs (tenant_id, name, description, duration_weeks) VALUES ($1, 'Load program', 'A program "with" quotes, commas and =formulas', 8)`,
      [tenant],
    );
    await client.query(
      `INSERT INTO sessions (tenant_id, user_id, program_id, started_at, completed_at, notes)
       SELECT $1, u.id, p.id, ts, ts + interval '55 minutes', CASE WHEN g % 4 = 0 THEN 'Session note ' || g || E'\\twith tab' END
         FROM users u CROSS JOIN generate_series(1, $2::int) g
         CROSS JOIN LATERAL (SELECT timestamptz '2025-01-01 06:00+00' + g * interval '1 day' + (u.email < 'athlete5')::int * interval '3 hours' AS ts) t
         CROSS JOIN (SELECT id FROM programs WHERE tenant_id = $1) p
        WHERE u.tenant_id = $1`,
      [tenant, sessionsPerUser],
    );
    await client.query(
      `INSERT INTO sets (tenant_id, session_id, exercise_id, set_index, reps, weight_kg, rpe, notes)
       SELECT $1, s.id, ex.ids[1 + (i + abs(hashtext(s.id::text))) % array_length(ex.ids, 1)], i, 3 + i % 10, ((40 + (i * 7) % 200) / 2.0)::numeric(7,2), 7.5,
              CASE WHEN i = 0 AND s.notes IS NOT NULL THEN '-2 reps' END
         FROM sessions s CROSS JOIN generate_series(0, $2::int - 1) i
         CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM exercises WHERE tenant_id IS NULL) ex
        WHERE s.tenant_id = $1`,
      [tenant, SETS_PER_SESSION],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === '--child') {
    const [url, slug, format, compress] = args;
    await measureOne(url, slug, format as ExportFormat, compress === 'gz');
    return;
  }
  const adminUrl = mode ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const sessionsPerUser = Number(args[0] ?? 250);
  const name = `rythm_measure_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = withDatabase(adminUrl, name);
  try {
    const dataSource = new DataSource(dataSourceOptions(url));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    await seedDemo(dataSource);
    await dataSource.destroy();
    let started = Date.now();
    await createSynthetic(url, sessionsPerUser);
    const counts = await new pg.Client({ connectionString: url });
    await counts.connect();
    const sets = (await counts.query<{ n: string }>(`SELECT count(*) AS n FROM sets s JOIN tenants t ON t.id = s.tenant_id WHERE t.slug = 'synthetic'`)).rows[0]
      .n;
    await counts.end();
    console.error(`synthetic tenant: ${sets} sets generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    started = Date.now();

    const results: Measurement[] = [];
    if (process.env.RYTHM_MEASURE_KEEP === '1' && process.env.RYTHM_MEASURE_SKIP === '1') return;
    for (const slug of ['northside', 'synthetic']) {
      for (const [format, compress] of [
        ['json', ''],
        ['json', 'gz'],
        ['sql', ''],
        ['sql', 'gz'],
        ['csv', ''],
      ]) {
        const out = execFileSync(process.execPath, ['--expose-gc', process.argv[1], '--child', url, slug, format, compress], { encoding: 'utf8' });
        const result = JSON.parse(out.trim().split('\n').at(-1)!) as Measurement;
        results.push(result);
        console.error(JSON.stringify(result));
      }
    }
    console.log('| export | rows | file MB | seconds | rows/s | RSS before MB | peak RSS MB |');
    console.log('|---|---:|---:|---:|---:|---:|---:|');
    for (const r of results) {
      console.log(`| ${r.label} | ${r.rows} | ${(r.bytes / 1e6).toFixed(1)} | ${r.seconds} | ${r.rowsPerSecond} | ${r.baselineRssMb} | ${r.peakRssMb} |`);
    }
  } finally {
    if (process.env.RYTHM_MEASURE_KEEP === '1') console.error(`kept database ${url}`);
    else await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
