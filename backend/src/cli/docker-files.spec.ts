import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/**
 * The production files in docker/ agree with each other and with the code. No Docker engine is
 * needed: this reads the files (the images themselves are built in CI or by hand).
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
  stage: number;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function instructions(path: string): Instruction[] {
  const joined = read(path)
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n\s*/g, ' ');
  let stage = -1;
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [keyword, ...rest] = line.split(/\s+/);
      if (keyword.toUpperCase() === 'FROM') stage++;
      return { keyword: keyword.toUpperCase(), args: rest.join(' '), stage };
    });
}

interface Service {
  image?: string;
  networks?: Record<string, { ipv4_address?: string }>;
  build?: { context: string; dockerfile: string };
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string; required?: boolean }>;
  profiles?: string[];
  healthcheck?: { test: string[] };
}

const compose = parse(read('docker/compose.yaml')) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  networks?: Record<string, { ipam?: { config?: { subnet?: string }[] } }>;
};
const api = instructions('docker/Dockerfile.api');
const consoleImage = instructions('docker/Dockerfile.console');
const nginx = read('docker/nginx.conf');

/** The names app-config.ts reads from the environment. */
function configVariables(): string[] {
  const source = read('backend/src/config/app-config.ts');
  const names = new Set<string>();
  for (const match of source.matchAll(/env\.([A-Z][A-Z0-9_]*)/g)) names.add(match[1]);
  for (const match of source.matchAll(/env,\s*'([A-Z][A-Z0-9_]*)'/g)) names.add(match[1]);
  for (const match of source.matchAll(/env\[\s*'([A-Z][A-Z0-9_]*)'\s*\]/g)) names.add(match[1]);
  return [...names].sort();
}

describe('docker/ production files', () => {
  it('COPY only files that exist in the repository (the build context is the root)', () => {
    for (const [file, list] of [
      ['Dockerfile.api', api],
      ['Dockerfile.console', consoleImage],
    ] as const) {
      const copies = list.filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='));
      expect(copies.length).toBeGreaterThan(0);
      for (const copy of copies) {
        const sources = copy.args
          .split(/\s+/)
          .filter((a) => !a.startsWith('--'))
          .slice(0, -1);
        for (const source of sources) expect({ file, source, exists: existsSync(join(ROOT, source)) }).toEqual({ file, source, exists: true });
      }
    }
  });

  it('points compose at the Dockerfiles, with the repository root as context', () => {
    for (const name of ['api', 'console']) {
      const build = compose.services[name].build!;
      expect(build.context).toBe('..');
      expect(existsSync(join(ROOT, build.dockerfile))).toBe(true);
    }
    expect(compose.services.api.build!.dockerfile).toBe('docker/Dockerfile.api');
    expect(compose.services.console.build!.dockerfile).toBe('docker/Dockerfile.console');
  });

  it('keeps secrets and local state out of the build context', () => {
    const ignore = read('.dockerignore').split('\n');
    for (const entry of ['.git', '**/node_modules', '**/dist', '.data', 'docker/.env']) expect(ignore).toContain(entry);
    // What the Dockerfiles copy must not be ignored.
    expect(ignore).toContain('!e2e/package.json');
  });

  it('builds the API in stages and runs it as a non-root user with production dependencies only', () => {
    const froms = api.filter((i) => i.keyword === 'FROM');
    expect(froms).toHaveLength(2);
    expect(read('docker/Dockerfile.api')).toContain('ARG NODE_IMAGE=node:22-bookworm-slim');
    const runtime = api.filter((i) => i.stage === 1);
    const install = runtime.find((i) => i.keyword === 'RUN' && i.args.includes('npm ci'));
    expect(install?.args).toContain('--omit=dev');
    expect(runtime.find((i) => i.keyword === 'USER')?.args).toBe('node');
    expect(runtime.some((i) => i.keyword === 'COPY' && i.args.includes('--from=build') && i.args.includes('frontend/dist/browser'))).toBe(true);
    const env = runtime.find((i) => i.keyword === 'ENV')!.args;
    expect(env).toMatch(/CONSOLE_DIR=\/app\/console/);
    expect(runtime.some((i) => i.keyword === 'COPY' && /\sconsole$/.test(i.args))).toBe(true);
  });

  it('keeps the benchmark scripts and the synthetic-data generator out of the production image', () => {
    const build = api.filter((i) => i.stage === 0 && i.keyword === 'RUN' && i.args.includes('npm run build -w backend'));
    expect(build).toHaveLength(1);
    expect(build[0].args).toMatch(/rm -rf backend\/dist\/scripts backend\/dist\/database\/synthetic/);
    const copied = api.filter((i) => i.stage === 1 && i.keyword === 'COPY' && i.args.includes('--from=build')).map((i) => i.args);
    expect(copied).toContain('--from=build /app/backend/dist backend/dist');
  });

  it('declares the data and backup volumes, mounted by compose', () => {
    const volume = api.find((i) => i.keyword === 'VOLUME')!.args;
    expect(JSON.parse(volume)).toEqual(['/data', '/backups']);
    const mounts = compose.services.api.volumes!.map((v) => v.split(':')[1]);
    expect(mounts).toEqual(expect.arrayContaining(['/data', '/backups']));
    expect(compose.services.api.environment).toMatchObject({ DATA_DIR: '/data', BACKUP_DIR: '/backups' });
    expect(compose.services.postgres.volumes).toEqual(['pgdata:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['pgdata', 'data', 'backups']));
  });

  it('agrees on ports: API 3000 (EXPOSE, PORT, nginx upstream, healthchecks), console 8080 (EXPOSE, listen, compose)', () => {
    const exposed = api.find((i) => i.keyword === 'EXPOSE')!.args;
    expect(exposed).toBe('3000');
    expect(compose.services.api.environment!.PORT).toBe(exposed);
    expect(nginx).toMatch(new RegExp(`server\\s+api:${exposed};`));
    expect(api.find((i) => i.keyword === 'HEALTHCHECK')!.args).toContain(`127.0.0.1:${exposed}/`);
    expect(compose.services.api.healthcheck!.test.join(' ')).toContain(`127.0.0.1:${exposed}/`);

    const consolePort = consoleImage.find((i) => i.keyword === 'EXPOSE')!.args;
    expect(consolePort).toBe('8080');
    expect(nginx).toMatch(new RegExp(`listen\\s+${consolePort};`));
    expect(compose.services.console.ports).toEqual([`\${CONSOLE_PORT:-8080}:${consolePort}`]);
    // The API is reached through nginx only.
    expect(compose.services.api.ports).toBeUndefined();
  });

  it('checks health at /api/health in the image and in compose', () => {
    expect(api.find((i) => i.keyword === 'HEALTHCHECK')!.args).toMatch(/\/api\/health['"]/);
    expect(compose.services.api.healthcheck!.test.join(' ')).toMatch(/\/api\/health['"]/);
    expect(compose.services.postgres.healthcheck!.test.join(' ')).toContain('pg_isready');
    expect(nginx).toMatch(/location = \/healthz/);
    expect(consoleImage.find((i) => i.keyword === 'HEALTHCHECK')!.args).toContain('/healthz');
  });

  it('starts in order: postgres healthy, then api healthy, then console', () => {
    expect(compose.services.postgres.image).toBe('postgres:16');
    expect(compose.services.api.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      // Only with --profile s3: the bucket is made first.
      'objectstore-bucket': { condition: 'service_completed_successfully', required: false },
    });
    expect(compose.services.console.depends_on).toEqual({ api: { condition: 'service_healthy' } });
    expect(compose.services.api.environment!.DATABASE_URL).toContain('@postgres:5432/');
    expect(compose.services.api.environment!.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
  });

  it('runs the object store only in the s3 profile, its bucket the API’s and its root user the API’s key', () => {
    expect(compose.services.objectstore.profiles).toEqual(['s3']);
    expect(compose.services['objectstore-bucket'].profiles).toEqual(['s3']);
    expect(compose.services.objectstore.image).toMatch(/^minio\/minio:RELEASE\./);
    const api = compose.services.api.environment!;
    expect(api.STORAGE_DRIVER).toBe('${STORAGE_DRIVER:-local}');
    expect(api.S3_ENDPOINT).toBe('${S3_ENDPOINT-http://objectstore:9000}');
    expect(compose.services.objectstore.environment).toEqual({ MINIO_ROOT_USER: '${AWS_ACCESS_KEY_ID:-}', MINIO_ROOT_PASSWORD: '${AWS_SECRET_ACCESS_KEY:-}' });
    expect(compose.services['objectstore-bucket'].environment!.MC_HOST_store).toContain('@objectstore:9000');
    expect(compose.volumes).toHaveProperty('objects');
  });

  it('proxies /api with SSE-friendly settings and the upload limit of the API', () => {
    const events = /location ~ \^\/api\/jobs\/\[\^\/\]\+\/events\$ \{([^}]*)\}/.exec(nginx);
    expect(events?.[1]).toMatch(/proxy_buffering off;/);
    expect(events?.[1]).toMatch(/proxy_read_timeout 1h;/);
    expect(nginx).toMatch(/location \^~ \/api\/ \{/);
    expect(nginx).toMatch(/proxy_pass http:\/\/rythm_api;/);
    expect(nginx).toContain('client_max_body_size ${MAX_UPLOAD_MB}m;');
    expect(compose.services.console.environment!.MAX_UPLOAD_MB).toBe(compose.services.api.environment!.MAX_UPLOAD_MB);
    expect(nginx).toMatch(/try_files \$uri \$uri\/ \/index\.html;/);
    expect(read('docker/Dockerfile.console')).toContain('COPY docker/nginx.conf /etc/nginx/templates/default.conf.template');
  });

  it('believes X-Forwarded-For from nginx only: TRUSTED_PROXIES defaults to the console service’s fixed address', () => {
    // `${NAME:-default}` → default (nested once, as compose allows).
    const fallback = (value: string) => /^\$\{[A-Z_]+:-(.*)\}$/.exec(value)?.[1] ?? value;
    const consoleIp = compose.services.console.networks?.default?.ipv4_address;
    expect(consoleIp).toBe('${CONSOLE_IP:-172.30.42.10}');
    expect(compose.services.api.environment!.TRUSTED_PROXIES).toBe(`\${TRUSTED_PROXIES:-${consoleIp}}`);
    const subnet = fallback(compose.networks!.default.ipam!.config![0].subnet!);
    const [network, bits] = subnet.split('/');
    expect(bits).toBe('24');
    expect(fallback(consoleIp!).split('.').slice(0, 3)).toEqual(network.split('.').slice(0, 3));
    // nginx appends the address it saw, so the API takes that one and not what a client wrote.
    expect(nginx).toContain('proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;');
  });

  it('documents every variable of app-config.ts in .env.example and passes the tunable ones to the API', () => {
    const example = read('docker/.env.example');
    const variables = configVariables();
    expect(variables).toEqual(expect.arrayContaining(['DATABASE_URL', 'JWT_SECRET', 'MAX_UPLOAD_MB', 'IMPORT_STATEMENT_TIMEOUT_MS']));
    for (const name of variables) expect({ name, documented: new RegExp(`^#?\\s*${name}=`, 'm').test(example) }).toEqual({ name, documented: true });
    // Set in the image or pointless in a container: everything else must reach the api service.
    const fixedInImage = new Set(['CONSOLE_DIR', 'EMBEDDED_PG_PORT']);
    for (const name of variables.filter((v) => !fixedInImage.has(v)))
      expect({ name, passed: name in compose.services.api.environment! }).toEqual({ name, passed: true });
  });
});
