import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ExportFormat } from '../shared/api-types.js';
import { bundleSessionSql } from '../transfer/bundle/session-settings.js';
import { planExport, type PlannedTable } from '../transfer/export/export-plan.js';
import { normaliseExport } from '../transfer/export/export-selection.js';
import { createBundleWriter } from '../transfer/formats/bundle-writers.js';
import { benchTables, quoteIdent } from './bench-common.js';

/**
 * The baselines of `npm run bench:e2e`: what the real `psql` binary does with the same rows.
 * Exports: each table's COPY statement exactly as our writer of that format sends it (the same
 * SELECT, predicates, order and casts) as `COPY … TO STDOUT` into a file (`\o <file>`), in one
 * REPEATABLE READ READ ONLY transaction with the bundle session settings. Imports: `\copy` of the
 * text dump into empty `LIKE … INCLUDING ALL` copies of the tables (every index, no foreign key)
 * in one transaction.
 */
export interface PsqlRun {
  ms: number;
  bytes: number;
}

const PSQL = process.env.PSQL ?? 'psql';

export function runPsql(url: string, script: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(PSQL, ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url], { stdio: ['pipe', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`psql exited with ${code}: ${err.slice(-1000)}`))));
    child.stdin.end(script);
  });
}

/** The tenant's export plan and each table's COPY statement as our writer of `format` sends it. */
export async function exportStatements(tenantId: string, format: ExportFormat): Promise<{ table: PlannedTable; copy: string }[]> {
  const plan = planExport(await benchTables(), normaliseExport({ scope: 'tenant', tenantId, format }), 'bench');
  const sink = new PassThrough();
  sink.resume();
  const writer = createBundleWriter(sink, { format, compress: false });
  const statements = plan.map((table) => ({ table, copy: writer.copySql(table) }));
  writer.destroy(new Error('only its statements were needed'));
  return statements;
}

/** psql writes each table's COPY output to <dir>/<table>.copy; returns the time and the bytes written. */
export async function psqlExport(url: string, tenantId: string, format: ExportFormat, dir: string): Promise<PsqlRun> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const lines = ['BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;', `${bundleSessionSql({ local: true })};`];
  for (const { table, copy } of await exportStatements(tenantId, format)) {
    lines.push(`\\o ${join(dir, `${table.spec.name}.copy`)}`, `${copy};`);
  }
  lines.push('\\o', 'COMMIT;', '');
  const ms = await runPsql(url, lines.join('\n'));
  let bytes = 0;
  for (const f of await readdir(dir)) bytes += (await stat(join(dir, f))).size;
  return { ms, bytes };
}

/** The text dump the import baseline loads, with the columns of each table (unmeasured). */
export async function psqlDump(url: string, tenantId: string, dir: string): Promise<{ name: string; columns: string[] }[]> {
  await psqlExport(url, tenantId, 'sql', dir);
  const plan = (await exportStatements(tenantId, 'sql')).map((s) => s.table);
  const tables = plan.map((t) => ({ name: t.spec.name, columns: t.columns.map((c) => c.spec.name) }));
  await writeFile(join(dir, 'tables.json'), JSON.stringify(tables));
  return tables;
}

/** `\copy` of the dump into empty LIKE copies in the schema bench_scratch, in one transaction (only that is timed). */
export async function psqlImport(url: string, dir: string, tables: { name: string; columns: string[] }[]): Promise<PsqlRun> {
  const setup = ['DROP SCHEMA IF EXISTS bench_scratch CASCADE;', 'CREATE SCHEMA bench_scratch;'];
  for (const t of tables) setup.push(`CREATE TABLE bench_scratch.${quoteIdent(t.name)} (LIKE public.${quoteIdent(t.name)} INCLUDING ALL);`);
  await runPsql(url, setup.join('\n'));
  const lines = ['BEGIN;', `${bundleSessionSql({ local: true })};`];
  let bytes = 0;
  for (const t of tables) {
    const file = join(dir, `${t.name}.copy`);
    bytes += (await stat(file)).size;
    lines.push(`\\copy bench_scratch.${quoteIdent(t.name)} (${t.columns.map(quoteIdent).join(', ')}) FROM '${file}'`);
  }
  lines.push('COMMIT;', '');
  try {
    return { ms: await runPsql(url, lines.join('\n')), bytes };
  } finally {
    await runPsql(url, 'DROP SCHEMA IF EXISTS bench_scratch CASCADE;');
  }
}
