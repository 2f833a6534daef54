import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';

/**
 * For the crash tests: a support script bundled to plain ESM (the child runs without ts-jest),
 * started, and waited on until it prints the line that says it froze mid-transaction.
 */
export async function startChild(script: string, args: string[], ready: string): Promise<{ process: ChildProcess; line: string }> {
  const cache = join(import.meta.dirname, '..', '..', 'node_modules', '.cache', 'rythm-tests');
  await mkdir(cache, { recursive: true });
  const child = join(cache, script.replace(/\.ts$/, '.mjs'));
  execFileSync(join(import.meta.dirname, '..', '..', '..', 'node_modules', '.bin', 'esbuild'), [
    join(import.meta.dirname, script),
    '--bundle',
    '--platform=node',
    '--format=esm',
    '--packages=external',
    `--outfile=${child}`,
    '--log-level=warning',
  ]);
  const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    proc.stdout.on('data', (c: Buffer) => {
      const text = c.toString();
      if (text.startsWith(ready)) resolve(text.trim());
    });
    proc.on('exit', (code) => reject(new Error(`child exited (${code}) before ${ready}: ${stderr}`)));
  });
  return { process: proc, line };
}

/** SIGKILLs the child, then waits (up to 10 s) until PostgreSQL has rolled back its transaction and freed its advisory locks. */
export async function killAndWaitForRollback(proc: ChildProcess, pool: pg.Pool): Promise<void> {
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  proc.kill('SIGKILL');
  await exited;
  for (let i = 0; i < 100; i++) {
    const { rows } = await pool.query<{ n: string }>(ADVISORY_LOCKS);
    if (Number(rows[0].n) === 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const ADVISORY_LOCKS = `SELECT count(*) AS n FROM pg_locks WHERE database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND locktype = 'advisory'`;
