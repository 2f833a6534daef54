import { isIP } from 'node:net';
import { resolve } from 'node:path';

/** Typed configuration, read once from the environment at start-up. */
export interface AppConfig {
  /** Null: start the embedded PostgreSQL in DATA_DIR/pg. */
  databaseUrl: string | null;
  port: number;
  jwtSecret: string;
  jwtExpiresInSeconds: number;
  dataDir: string;
  backupDir: string;
  embeddedPgPort: number;
  maxUploadMb: number;
  /** Decompressed bytes a bundle may expand to, and the largest expansion ratio. */
  maxDecompressedMb: number;
  maxCompressionRatio: number;
  exportTtlHours: number;
  jobConcurrency: number;
  backupCron: string;
  backupRetentionDays: number | null;
  backupRetentionCount: number | null;
  /** When the clean-up job deletes expired scratch tenants (once per cluster). */
  scratchCleanupCron: string;
  seedDemo: boolean;
  /** Where the built console lives; served on the API's port when present. */
  consoleDir: string;
  loginRateLimitPerMinute: number;
  /**
   * Proxies whose X-Forwarded-For is believed (IPs or CIDRs). Empty: none, so the client address is
   * the socket's and no client can pick its own.
   */
  trustedProxies: string[];
  /** Manual backups one tenant may hold (written or still queued) when an org admin asks for one. */
  maxManualBackupsPerTenant: number;
  logLevel: 'debug' | 'log' | 'warn' | 'error';
  /** Import transactions: how long to wait for a lock and for one statement, in ms. */
  importLockTimeoutMs: number;
  importStatementTimeoutMs: number;
  /** The restore point an import records: its change set (undoable) or a full backup of the scope. */
  preImportBackup: 'change-set' | 'full';
  /** Where export files, uploads and backups live (storage/; docs/storage.md). */
  storage: StorageConfig;
}

/** `local`: DATA_DIR/jobs and BACKUP_DIR. `s3`: one bucket that every instance shares. */
export type StorageConfig =
  | { driver: 'local' }
  | {
      driver: 's3';
      bucket: string;
      /** '' or ends with '/': every key starts with it, so one bucket can hold several environments. */
      prefix: string;
      region: string;
      /** Null: AWS S3 itself; else the URL of an S3-compatible store (MinIO, R2, Ceph RGW, GCS interop). */
      endpoint: string | null;
      forcePathStyle: boolean;
    };

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function optionalInt(env: Env, name: string, min: number, max: number): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  return int(env, name, 0, min, max);
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new ConfigError(`${name} must be true or false, got "${env[name]}"`);
}

const DEV_JWT_SECRET = 'rythm-dev-secret-change-me-in-production';

/**
 * Every JWT_SECRET value published in this repository (defaults, examples, the tests' own): anyone
 * can sign tokens with them, so production refuses them. published-secrets.spec.ts scans the
 * tracked files and fails when a value found there is missing here.
 */
export const PUBLISHED_JWT_SECRETS: readonly string[] = [DEV_JWT_SECRET, 'test-secret-of-at-least-16-chars'];

const MAKE_A_SECRET = 'make one with `openssl rand -base64 48` and give every instance the same value';

function jwtSecretOf(env: Env, production: boolean): string {
  const raw = env.JWT_SECRET;
  if (!production) return raw ?? DEV_JWT_SECRET;
  if (!raw?.trim()) throw new ConfigError(`JWT_SECRET is required when NODE_ENV=production: ${MAKE_A_SECRET}`);
  if (PUBLISHED_JWT_SECRETS.includes(raw.trim())) {
    throw new ConfigError(
      `JWT_SECRET is a value published in the RYTHM Data repository (a default or an example), so anyone can sign tokens with it: ${MAKE_A_SECRET}`,
    );
  }
  return raw;
}

/** "10.0.0.5, 172.30.42.0/24, ::1" → validated entries; Express's `trust proxy` reads the same list. */
function trustedProxies(env: Env): string[] {
  const raw = env.TRUSTED_PROXIES?.trim();
  if (!raw) return [];
  return raw.split(',').map((entry) => {
    const value = entry.trim();
    const [address, prefix, extra] = value.split('/');
    const family = isIP(address ?? '');
    const maxPrefix = family === 6 ? 128 : 32;
    const prefixOk = prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix);
    if (!family || !prefixOk || extra !== undefined) {
      throw new ConfigError(
        `TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges (e.g. 10.0.0.5,172.30.42.0/24), got "${value}" in "${env.TRUSTED_PROXIES}"`,
      );
    }
    return value;
  });
}

/** S3 bucket names: 3 to 63 lower-case letters, digits, dots and hyphens (AWS's rules, which the others follow). */
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

function storageOf(env: Env): StorageConfig {
  const driver = env.STORAGE_DRIVER?.trim() || 'local';
  if (driver === 'local') return { driver };
  if (driver !== 's3') throw new ConfigError(`STORAGE_DRIVER must be local or s3, got "${env.STORAGE_DRIVER}"`);
  const bucket = env.S3_BUCKET?.trim() ?? '';
  if (!bucket) throw new ConfigError('S3_BUCKET is required when STORAGE_DRIVER=s3: the bucket every instance shares');
  if (!BUCKET_NAME.test(bucket)) {
    throw new ConfigError(`S3_BUCKET must be a bucket name (3 to 63 lower-case letters, digits, dots and hyphens), got "${bucket}"`);
  }
  const rawPrefix = (env.S3_PREFIX ?? '').trim().replace(/^\/+/, '');
  if (rawPrefix.length > 512 || /[^A-Za-z0-9!_.*'()\/-]/.test(rawPrefix) || rawPrefix.includes('//')) {
    throw new ConfigError(`S3_PREFIX must be a key prefix of letters, digits and !_.*'()-/ (e.g. rythm/prod/), got "${env.S3_PREFIX}"`);
  }
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  const endpoint = env.S3_ENDPOINT?.trim() || null;
  if (endpoint !== null) {
    let url: URL | null = null;
    try {
      url = new URL(endpoint);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new ConfigError(`S3_ENDPOINT must be an http:// or https:// URL (e.g. http://minio:9000), got "${endpoint}"`);
    }
  }
  const region = env.S3_REGION?.trim() || env.AWS_REGION?.trim() || 'us-east-1';
  // Most self-hosted stores (MinIO, Ceph, s3rver) answer only path-style requests.
  return { driver, bucket, prefix, region, endpoint, forcePathStyle: bool(env, 'S3_FORCE_PATH_STYLE', endpoint !== null) };
}

export function loadConfig(env: Env = process.env): AppConfig {
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`DATABASE_URL must be a postgres:// or postgresql:// URL, got "${databaseUrl}"`);
  }
  const jwtSecret = jwtSecretOf(env, env.NODE_ENV === 'production');
  if (jwtSecret.length < 16) throw new ConfigError(`JWT_SECRET must be at least 16 characters long: ${MAKE_A_SECRET}`);
  const logLevel = (env.LOG_LEVEL ?? 'log') as AppConfig['logLevel'];
  if (!['debug', 'log', 'warn', 'error'].includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of debug, log, warn, error, got "${env.LOG_LEVEL}"`);
  }
  const backupCron = env.BACKUP_CRON?.trim() || '0 3 * * *';
  if (backupCron.split(/\s+/).length !== 5) {
    throw new ConfigError(`BACKUP_CRON must be a five-field cron expression, got "${backupCron}"`);
  }
  const scratchCleanupCron = env.SCRATCH_CLEANUP_CRON?.trim() || '*/5 * * * *';
  if (scratchCleanupCron.split(/\s+/).length !== 5) {
    throw new ConfigError(`SCRATCH_CLEANUP_CRON must be a five-field cron expression, got "${scratchCleanupCron}"`);
  }
  const preImportBackup = (env.PRE_IMPORT_BACKUP?.trim() || 'change-set') as AppConfig['preImportBackup'];
  if (!['change-set', 'full'].includes(preImportBackup)) {
    throw new ConfigError(
      `PRE_IMPORT_BACKUP must be change-set (the default: exactly what the import changes, undoable) or full, got "${env.PRE_IMPORT_BACKUP}"`,
    );
  }
  const dataDir = resolve(env.DATA_DIR || './.data');
  return {
    databaseUrl,
    port: int(env, 'PORT', 3000, 0, 65535),
    jwtSecret,
    jwtExpiresInSeconds: int(env, 'JWT_EXPIRES_IN_SECONDS', 8 * 3600, 60, 30 * 24 * 3600),
    dataDir,
    backupDir: resolve(env.BACKUP_DIR || resolve(dataDir, 'backups')),
    embeddedPgPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1024, 65535),
    maxUploadMb: int(env, 'MAX_UPLOAD_MB', 2048, 1, 1024 * 1024),
    maxDecompressedMb: int(env, 'MAX_DECOMPRESSED_MB', 20480, 1, 1024 * 1024),
    maxCompressionRatio: int(env, 'MAX_COMPRESSION_RATIO', 200, 2, 100000),
    exportTtlHours: int(env, 'EXPORT_TTL_HOURS', 24, 1, 24 * 365),
    jobConcurrency: int(env, 'JOB_CONCURRENCY', 2, 1, 64),
    backupCron,
    backupRetentionDays: optionalInt(env, 'BACKUP_RETENTION_DAYS', 1, 36500) ?? (env.BACKUP_RETENTION_COUNT ? null : 14),
    backupRetentionCount: optionalInt(env, 'BACKUP_RETENTION_COUNT', 1, 100000),
    scratchCleanupCron,
    seedDemo: bool(env, 'SEED_DEMO', true),
    consoleDir: resolve(env.CONSOLE_DIR || new URL('../../../frontend/dist/browser', import.meta.url).pathname),
    loginRateLimitPerMinute: int(env, 'LOGIN_RATE_LIMIT_PER_MINUTE', 10, 1, 100000),
    trustedProxies: trustedProxies(env),
    maxManualBackupsPerTenant: int(env, 'MAX_MANUAL_BACKUPS_PER_TENANT', 20, 0, 100000),
    logLevel,
    importLockTimeoutMs: int(env, 'IMPORT_LOCK_TIMEOUT_MS', 10000, 100, 3600000),
    importStatementTimeoutMs: int(env, 'IMPORT_STATEMENT_TIMEOUT_MS', 600000, 1000, 86400000),
    preImportBackup,
    storage: storageOf(env),
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
