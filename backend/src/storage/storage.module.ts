import { Global, Inject, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { LocalStorage } from './local-storage.js';
import { S3Storage } from './s3-storage.js';
import { STORAGE, type Storage } from './storage.js';

/** The driver STORAGE_DRIVER names, checked before the app takes any request or job. */
export async function createStorage(config: AppConfig): Promise<Storage> {
  const storage =
    config.storage.driver === 's3' ? new S3Storage(config.storage) : new LocalStorage({ jobs: join(config.dataDir, 'jobs'), backups: config.backupDir });
  await storage.check();
  new Logger('Storage').log({ msg: 'storage ready', driver: storage.driver, jobs: storage.where('jobs'), backups: storage.where('backups') });
  return storage;
}

@Global()
@Module({
  providers: [{ provide: STORAGE, inject: [APP_CONFIG], useFactory: createStorage }],
  exports: [STORAGE],
})
export class StorageModule implements OnApplicationShutdown {
  constructor(@Inject(STORAGE) private readonly storage: Storage) {}

  onApplicationShutdown(): void {
    if (this.storage instanceof S3Storage) this.storage.destroy();
  }
}
