import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configPath, ConfigStore, type StoredSession } from './config-store.js';

const session = (token: string): StoredSession => ({
  token,
  email: 'a@b.c',
  role: 'org_admin',
  tenantSlug: 'northside',
  expiresAt: '2099-01-01T00:00:00.000Z',
  savedAt: '2026-01-01T00:00:00.000Z',
});

describe('configPath', () => {
  it('uses an absolute XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configPath({ XDG_CONFIG_HOME: '/x/cfg', HOME: '/home/q' })).toBe('/x/cfg/rythm-data/config.json');
    expect(configPath({ XDG_CONFIG_HOME: 'relative', HOME: '/home/q' })).toBe('/home/q/.config/rythm-data/config.json');
    expect(configPath({ HOME: '/home/q' })).toBe('/home/q/.config/rythm-data/config.json');
  });
});

describe('ConfigStore', () => {
  let dir: string;
  let store: ConfigStore;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rythm-config-'));
    store = new ConfigStore(join(dir, 'rythm-data', 'config.json'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps one session per API, in a 0600 file in a 0700 directory', async () => {
    await store.set('http://a:3000', session('one'));
    await store.set('https://b.example', session('two'));
    expect((await store.get('http://a:3000'))?.token).toBe('one');
    expect((await store.get('https://b.example'))?.token).toBe('two');
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'rythm-data'))).mode & 0o777).toBe(0o700);
  });

  it('forgets one API and leaves the others', async () => {
    await store.set('http://a:3000', session('one'));
    await store.set('http://b:3000', session('two'));
    expect(await store.remove('http://a:3000')).toBe(true);
    expect(await store.remove('http://a:3000')).toBe(false);
    expect(await store.get('http://a:3000')).toBeNull();
    expect(JSON.parse(await readFile(store.path, 'utf8')).sessions).toEqual({ 'http://b:3000': session('two') });
  });

  it('reads a missing or damaged file as empty', async () => {
    expect(await store.get('http://a:3000')).toBeNull();
    await mkdir(join(dir, 'rythm-data'), { recursive: true });
    await writeFile(store.path, '{not json');
    expect(await store.get('http://a:3000')).toBeNull();
    await store.set('http://a:3000', session('fresh'));
    expect((await store.get('http://a:3000'))?.token).toBe('fresh');
  });

  it('does not hand out inherited properties as sessions', async () => {
    expect(await store.get('__proto__')).toBeNull();
    expect(await store.get('constructor')).toBeNull();
  });
});
