import { UploadsInProgress } from '../storage/uploads-in-progress.js';
import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalStorage } from '../storage/local-storage.js';
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
    await mkdir(join(dataDir, 'jobs'));
    files = new JobFiles(new LocalStorage({ jobs: join(dataDir, 'jobs'), backups: join(dataDir, 'backups') }), new UploadsInProgress());
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

  it('removes the files of expired jobs it claims, and leaves those another instance claimed first', async () => {
    await writeFile(join(dataDir, 'jobs', 'old.json'), '{}');
    await writeFile(join(dataDir, 'jobs', 'taken.json'), '{}');
    const claimed: string[] = [];
    const removed = await janitor({
      expiredFiles: () => Promise.resolve(['old.json', 'taken.json', 'gone-already.json']),
      claimExpiredFile: (name) => {
        claimed.push(name);
        return Promise.resolve(name !== 'taken.json');
      },
    }).removeExpiredFiles();
    // A file already deleted elsewhere is no error: deleting is idempotent.
    expect(removed).toBe(2);
    expect(claimed).toEqual(['old.json', 'taken.json', 'gone-already.json']);
    expect(existsSync(join(dataDir, 'jobs', 'old.json'))).toBe(false);
    expect(existsSync(join(dataDir, 'jobs', 'taken.json'))).toBe(true);
  });
});
