import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/app-config.js';
import type { JobExecutor } from './job-executor.js';
import { JobFiles } from './job-files.js';
import { JobJanitor } from './job-janitor.js';
import type { JobRepository } from './job.repository.js';

beforeAll(() => Logger.overrideLogger(false));

describe('JobJanitor', () => {
  let dataDir: string;
  let files: JobFiles;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rythm-janitor-'));
    files = new JobFiles({ dataDir } as AppConfig);
    await files.ensureDir();
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  const janitor = (repository: Partial<JobRepository>) =>
    new JobJanitor(repository as JobRepository, files, { workerId: `${hostname()}/${process.pid}/me` } as JobExecutor);

  it("fails the jobs of dead processes, never this process's own", async () => {
    const interrupted: string[][] = [];
    const marked = await janitor({
      running: () =>
        Promise.resolve([
          { id: 'own', workerId: `${hostname()}/${process.pid}/me`, stale: true },
          { id: 'stale', workerId: 'elsewhere/1/x', stale: true },
          { id: 'alive-elsewhere', workerId: 'elsewhere/1/x', stale: false },
          // pid 2^22+1 is above Linux's pid_max default: no such process is alive on this host.
          { id: 'dead-here', workerId: `${hostname()}/4194305/x`, stale: false },
          { id: 'earlier-life', workerId: `${hostname()}/${process.pid}/before`, stale: false },
          { id: 'alive-here', workerId: `${hostname()}/${process.ppid}/x`, stale: false },
          { id: 'nobody', workerId: null, stale: false },
        ]),
      markInterrupted: (ids) => {
        interrupted.push(ids);
        return Promise.resolve();
      },
    }).failOrphanedJobs();
    expect(interrupted).toEqual([['stale', 'dead-here', 'earlier-life', 'nobody']]);
    expect(marked).toBe(4);
  });

  it('removes the files of expired jobs and forgets their names', async () => {
    await writeFile(files.path('old.json'), '{}');
    const cleared: string[] = [];
    const removed = await janitor({
      withExpiredFiles: () => Promise.resolve([{ id: 'j1', fileName: 'old.json' }]),
      clearFile: (id) => {
        cleared.push(id);
        return Promise.resolve();
      },
    }).removeExpiredFiles();
    expect(removed).toBe(1);
    expect(existsSync(files.path('old.json'))).toBe(false);
    expect(cleared).toEqual(['j1']);
  });
});
