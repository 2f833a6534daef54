import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ApiClient } from '../cli/api-client.js';
import { hashPassword } from '../auth/password.js';
import type { LoginResponse } from '../shared/api-types.js';
import { sql } from './bench-databases.js';

/**
 * The product as `npm run bench:e2e` drives it: the built backend (`node backend/dist/main.js`)
 * on a free port, against one database, with its own DATA_DIR, signed in as a system admin of the
 * bench's own (no demo seed: its global library would collide with the synthetic tenant's). Its memory is read from /proc: VmHWM (peak RSS) is reset after start-up and sign-in
 * (`5 > /proc/<pid>/clear_refs`), so the peak is the operation's own; where the reset is refused,
 * the peak of VmRSS sampled every 100 ms is used instead.
 */
export interface BenchServer {
  client: ApiClient;
  pid: number;
  /** Peak RSS in KiB since the last resetPeak(). */
  peakKiB(): Promise<number>;
  resetPeak(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function procStatusKiB(pid: number, field: 'VmHWM' | 'VmRSS'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

const BENCH_ADMIN = { email: 'bench-admin@rythm.example', password: 'rythm-bench-admin' };

/** The system admin the bench signs in as, created in `url` when missing (a migrated database). */
export async function ensureBenchAdmin(url: string): Promise<void> {
  await sql(
    url,
    [
      `INSERT INTO users (tenant_id, email, password_hash, first_name, last_name, role)
       SELECT NULL, $1::text, $2::text, 'Bench', 'Admin', 'system_admin' WHERE NOT EXISTS (SELECT 1 FROM users WHERE email = $1::text)`,
    ],
    [[BENCH_ADMIN.email, await hashPassword(BENCH_ADMIN.password)]],
  );
}

export async function startServer(options: { main: string; databaseUrl: string; dataDir: string; logFile: string }): Promise<BenchServer> {
  const port = await freePort();
  const log = createWriteStream(options.logFile, { flags: 'a' });
  // Node flags for the server alone, for profiling (`--cpu-prof`, `--trace-gc`): NODE_OPTIONS refuses some of them.
  const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, options.main], {
    env: {
      ...process.env,
      NODE_ENV: 'development',
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      DATA_DIR: options.dataDir,
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      // Bench sign-ins come in bursts; the limit is not what is measured.
      LOGIN_RATE_LIMIT_PER_MINUTE: '1000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.pipe(log, { end: false });
  child.stderr!.pipe(log, { end: false });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = child.pid!;
  const base = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode} while starting: see ${options.logFile}`);
    const up = await fetch(`${base}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`the server did not answer /api/health within 120 s: see ${options.logFile}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const login = await new ApiClient(base, null).post<LoginResponse>('/api/auth/login', { email: BENCH_ADMIN.email, password: BENCH_ADMIN.password });
  const client = new ApiClient(base, login.accessToken);

  let sampledPeak = 0;
  let hwmResets = true;
  const sampler = setInterval(() => {
    void procStatusKiB(pid, 'VmRSS').then((kib) => (sampledPeak = Math.max(sampledPeak, kib)));
  }, 100);
  sampler.unref();

  const server: BenchServer = {
    client,
    pid,
    async resetPeak() {
      sampledPeak = await procStatusKiB(pid, 'VmRSS');
      try {
        await writeFile(`/proc/${pid}/clear_refs`, '5');
      } catch {
        hwmResets = false;
      }
    },
    async peakKiB() {
      const rss = await procStatusKiB(pid, 'VmRSS');
      sampledPeak = Math.max(sampledPeak, rss);
      return hwmResets ? Math.max(await procStatusKiB(pid, 'VmHWM'), sampledPeak) : sampledPeak;
    },
    async stop() {
      clearInterval(sampler);
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
      log.end();
    },
  };
  await server.resetPeak();
  return server;
}

/** A DATA_DIR for one database's servers (job files, backups), kept across the servers of a run. */
export const dataDirFor = (work: string, name: string) => join(work, `data-${name}`);
