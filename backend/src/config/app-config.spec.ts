import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig, PUBLISHED_JWT_SECRETS } from './app-config.js';

// Made at run time: a literal here would be a published value itself.
const ownSecret = () => randomBytes(36).toString('base64');
const production = (env: Record<string, string> = {}) => loadConfig({ NODE_ENV: 'production', JWT_SECRET: ownSecret(), ...env });
const refusal = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(env)}`);
};

describe('loadConfig: JWT_SECRET', () => {
  it('uses the development secret outside production', () => {
    expect(PUBLISHED_JWT_SECRETS).toContain(loadConfig({}).jwtSecret);
  });

  it('refuses to start in production without a secret, naming the variable and how to make one', () => {
    const envs: Record<string, string>[] = [{ NODE_ENV: 'production' }, { NODE_ENV: 'production', JWT_SECRET: '  ' }];
    for (const env of envs) {
      const message = refusal(env);
      expect(message).toMatch(/^JWT_SECRET is required when NODE_ENV=production/);
      expect(message).toContain('openssl rand -base64 48');
    }
  });

  it('refuses to start in production with any published secret, the development default included', () => {
    expect(PUBLISHED_JWT_SECRETS.length).toBeGreaterThanOrEqual(2);
    for (const secret of PUBLISHED_JWT_SECRETS) {
      for (const written of [secret, ` ${secret}\n`]) {
        const message = refusal({ NODE_ENV: 'production', JWT_SECRET: written });
        expect(message).toMatch(/^JWT_SECRET is a value published in the RYTHM Data repository/);
        expect(message).toContain('openssl rand -base64 48');
      }
    }
  });

  it('starts in production with a secret of its own', () => {
    const secret = ownSecret();
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).jwtSecret).toBe(secret);
  });
});

describe('loadConfig: TRUSTED_PROXIES', () => {
  it('trusts no proxy by default', () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
    expect(loadConfig({ TRUSTED_PROXIES: ' ' }).trustedProxies).toEqual([]);
  });

  it('reads IPv4 and IPv6 addresses and CIDR ranges', () => {
    expect(production({ TRUSTED_PROXIES: '10.0.0.5, 172.30.42.0/24,::1,fd00::/8' }).trustedProxies).toEqual(['10.0.0.5', '172.30.42.0/24', '::1', 'fd00::/8']);
  });

  it.each(['loopback', '10.0.0', '10.0.0.5/33', '::1/129', '10.0.0.0/8/1', '10.0.0.5,', '10.0.0.0/ 8', 'nginx'])(
    'stops at start-up on "%s", naming the variable and the bad entry',
    (value) => {
      const message = refusal({ TRUSTED_PROXIES: value });
      expect(message).toMatch(/^TRUSTED_PROXIES must be a comma-separated list of IP addresses or CIDR ranges/);
      expect(message).toContain(`in "${value}"`);
    },
  );
});

describe('loadConfig: MAX_MANUAL_BACKUPS_PER_TENANT', () => {
  it('defaults to 20 and accepts 0 (org admins then make none)', () => {
    expect(loadConfig({}).maxManualBackupsPerTenant).toBe(20);
    expect(loadConfig({ MAX_MANUAL_BACKUPS_PER_TENANT: '0' }).maxManualBackupsPerTenant).toBe(0);
  });

  it('stops at start-up on a value that is not a whole number', () => {
    expect(refusal({ MAX_MANUAL_BACKUPS_PER_TENANT: 'many' })).toBe('MAX_MANUAL_BACKUPS_PER_TENANT must be a whole number, got "many"');
    expect(refusal({ MAX_MANUAL_BACKUPS_PER_TENANT: '-1' })).toContain('MAX_MANUAL_BACKUPS_PER_TENANT must be a whole number');
  });
});

describe('loadConfig: STORAGE_DRIVER and the S3 settings', () => {
  it('keeps files on the local disk by default', () => {
    expect(loadConfig({}).storage).toEqual({ driver: 'local' });
  });

  it('reads the bucket, prefix, region, endpoint and path style; path style is the default with an endpoint', () => {
    expect(loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'rythm-prod', S3_PREFIX: '/data/prod', S3_REGION: 'eu-west-1' }).storage).toEqual({
      driver: 's3',
      bucket: 'rythm-prod',
      prefix: 'data/prod/',
      region: 'eu-west-1',
      endpoint: null,
      forcePathStyle: false,
    });
    expect(loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'rythm', S3_ENDPOINT: 'http://minio:9000' }).storage).toMatchObject({
      prefix: '',
      region: 'us-east-1',
      endpoint: 'http://minio:9000',
      forcePathStyle: true,
    });
    expect(
      loadConfig({ STORAGE_DRIVER: 's3', S3_BUCKET: 'rythm', S3_ENDPOINT: 'https://x.r2.cloudflarestorage.com', S3_FORCE_PATH_STYLE: 'false' }).storage,
    ).toMatchObject({
      forcePathStyle: false,
    });
  });

  it('stops at start-up naming the setting that is wrong', () => {
    expect(refusal({ STORAGE_DRIVER: 'nfs' })).toBe('STORAGE_DRIVER must be local or s3, got "nfs"');
    expect(refusal({ STORAGE_DRIVER: 's3' })).toContain('S3_BUCKET is required when STORAGE_DRIVER=s3');
    expect(refusal({ STORAGE_DRIVER: 's3', S3_BUCKET: 'ab' })).toContain('S3_BUCKET must be a bucket name');
    expect(refusal({ STORAGE_DRIVER: 's3', S3_BUCKET: 'Rythm_Data' })).toContain('S3_BUCKET must be a bucket name');
    expect(refusal({ STORAGE_DRIVER: 's3', S3_BUCKET: 'rythm', S3_ENDPOINT: 'minio:9000' })).toContain('S3_ENDPOINT must be an http:// or https:// URL');
    expect(refusal({ STORAGE_DRIVER: 's3', S3_BUCKET: 'rythm', S3_PREFIX: 'a b' })).toContain('S3_PREFIX must be a key prefix');
    expect(refusal({ STORAGE_DRIVER: 's3', S3_BUCKET: 'rythm', S3_FORCE_PATH_STYLE: 'maybe' })).toContain('S3_FORCE_PATH_STYLE must be true or false');
  });
});
