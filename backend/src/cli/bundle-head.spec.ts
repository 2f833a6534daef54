import { ZipArchive } from 'archiver';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { manifestFromText, readManifest } from './bundle-head.js';

const manifest = {
  format: 'rythm-bundle',
  formatVersion: 1,
  schemaVersion: 'S1',
  scope: 'tenant',
  options: {},
  createdAt: '2026-01-01T00:00:00Z',
  source: { app: 'rythm-data', version: '0.1.0', tenantSlug: 'northside' },
  tables: [],
};
const jsonBundle = `{"manifest":${JSON.stringify(manifest)},\n"data":{\n},\n"summary":{"rowCounts":{},"sha256":"x"}}\n`;
const sqlBundle = `-- RYTHM Data bundle, format version 1. Load into a migrated database with: psql -v ON_ERROR_STOP=1 -f <file>\n-- manifest: ${JSON.stringify(manifest)}\nBEGIN;\nCOMMIT;\n`;

describe('manifestFromText', () => {
  it('reads the first line of a JSON bundle and the manifest comment of an SQL one', () => {
    expect(manifestFromText(jsonBundle)?.source.tenantSlug).toBe('northside');
    expect(manifestFromText(sqlBundle)?.scope).toBe('tenant');
  });

  it('returns null for anything else', () => {
    expect(manifestFromText('{"hello":1}')).toBeNull();
    expect(manifestFromText('{"manifest":{"format":"other"},')).toBeNull();
    expect(manifestFromText('SELECT 1;')).toBeNull();
  });
});

describe('readManifest', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rythm-head-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads plain and gzipped JSON and SQL bundles', async () => {
    await writeFile(join(dir, 'a.json'), jsonBundle);
    await writeFile(join(dir, 'a.json.gz'), gzipSync(jsonBundle));
    await writeFile(join(dir, 'a.sql.gz'), gzipSync(sqlBundle));
    for (const name of ['a.json', 'a.json.gz', 'a.sql.gz']) expect((await readManifest(join(dir, name)))?.scope).toBe('tenant');
  });

  it('reads manifest.json, the first entry of a CSV zip', async () => {
    const path = join(dir, 'a.zip');
    const zip = new ZipArchive();
    const output = createWriteStream(path);
    zip.pipe(output);
    zip.append(JSON.stringify({ ...manifest, scope: 'global' }), { name: 'manifest.json' });
    zip.append('id,name\n', { name: 'equipment.csv' });
    await zip.finalize();
    await new Promise<void>((resolve) => output.on('close', () => resolve()));
    expect((await readManifest(path))?.scope).toBe('global');
  });

  it('returns null for a file that is not a bundle, or not there', async () => {
    await writeFile(join(dir, 'notes.txt'), 'hello\nworld\n');
    expect(await readManifest(join(dir, 'notes.txt'))).toBeNull();
    expect(await readManifest(join(dir, 'missing.json'))).toBeNull();
  });
});
