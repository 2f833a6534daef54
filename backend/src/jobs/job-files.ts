import { Inject, Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';

/**
 * The jobs' directory (DATA_DIR/jobs): export files and uploads. Every name is reduced with
 * `basename()` here, so no job file is ever opened outside it.
 */
@Injectable()
export class JobFiles {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get dir(): string {
    return join(this.config.dataDir, 'jobs');
  }

  async ensureDir(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** The absolute path of a job file, whether or not it exists. */
  path(name: string): string {
    return join(this.dir, basename(name));
  }

  /** The file's path when it is still on disk, else null. */
  existing(name: string | null): string | null {
    if (!name) return null;
    const path = this.path(name);
    return existsSync(path) ? path : null;
  }

  async remove(name: string): Promise<void> {
    await rm(this.path(name), { force: true });
  }
}
