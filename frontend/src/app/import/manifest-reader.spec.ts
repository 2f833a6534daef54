import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { DecompressionStream as NodeDecompressionStream, ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { BundleManifest } from '@rythm/api-types';
import { extractJsonObject, formatFromName, readManifest } from './manifest-reader';

const manifest: BundleManifest = {
  format: 'rythm-bundle',
  formatVersion: 1,
  schemaVersion: '1700000000000-Init',
  scope: 'tenant',
  options: { anonymize: true },
  createdAt: '2026-01-02T03:04:05.000Z',
  source: { app: 'rythm-data', version: '0.1.0', tenantSlug: 'acme' },
  tables: [
    { name: 'tenants', columns: ['id', 'name', 'slug'] },
    { name: 'users', columns: ['id', 'tenant_id', 'email'] },
  ],
};
const summary = { rowCounts: { tenants: 1, users: 2 }, sha256: 'ab'.repeat(32) };

function jsonBundle(): string {
  return [
    `{"manifest":${JSON.stringify(manifest)},`,
    `"data":{"tenants":[`,
    `{"id":"t1","name":"Acme {brace}","slug":"acme"}`,
    `],"users":[`,
    `{"id":"u1","tenant_id":"t1","email":"a@acme.test"},`,
    `{"id":"u2","tenant_id":"t1","email":"b@acme.test"}`,
    `]},`,
    `"summary":${JSON.stringify(summary)}}`,
    '',
  ].join('\n');
}

function sqlBundle(): string {
  return [
    '-- RYTHM Data bundle (psql -v ON_ERROR_STOP=1 -f this-file)',
    `-- manifest: ${JSON.stringify(manifest)}`,
    'BEGIN;',
    'COPY "tenants" ("id", "name", "slug") FROM stdin;',
    't1\tAcme\tacme',
    '\\.',
    'COMMIT;',
    `-- summary: ${JSON.stringify(summary)}`,
    '',
  ].join('\n');
}

/** A jsdom File from bytes (jsdom's Blob has no stream(): the reader must work without it). */
function file(content: string | Uint8Array, name: string): File {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return new File([bytes.slice().buffer], name);
}

describe('manifest reader', () => {
  beforeAll(() => {
    // jsdom lacks the streams API that browsers have; Node's implementation stands in.
    Object.assign(globalThis, { DecompressionStream: NodeDecompressionStream, ReadableStream: NodeReadableStream });
  });

  it('reads the manifest from the first line of a JSON bundle and the row counts from its summary', async () => {
    const info = await readManifest(file(jsonBundle(), 'acme.json'), 'acme.json');

    expect(info.error).toBeNull();
    expect(info.format).toBe('json');
    expect(info.compressed).toBe(false);
    expect(info.manifest).toEqual(manifest);
    expect(info.rowCounts).toEqual({ tenants: 1, users: 2 });
  });

  it('reads the manifest from the second line of an SQL bundle', async () => {
    const info = await readManifest(file(sqlBundle(), 'acme.sql'), 'acme.sql');

    expect(info.error).toBeNull();
    expect(info.format).toBe('sql');
    expect(info.manifest?.scope).toBe('tenant');
    expect(info.manifest?.tables.map((t) => t.name)).toEqual(['tenants', 'users']);
    expect(info.rowCounts).toEqual({ tenants: 1, users: 2 });
  });

  it('decompresses a gzip JSON bundle in the browser and reads its manifest', async () => {
    const gz = gzipSync(Buffer.from(jsonBundle()));
    expect([gz[0], gz[1]]).toEqual([0x1f, 0x8b]);

    const info = await readManifest(file(new Uint8Array(gz), 'acme.json.gz'), 'acme.json.gz');

    expect(info.error).toBeNull();
    expect(info.compressed).toBe(true);
    expect(info.manifest).toEqual(manifest);
    expect(info.rowCounts).toBeNull();
  });

  it('stops decompressing once the manifest is complete (does not need the whole file)', async () => {
    // The manifest line, then 1 MB of incompressible noise, cut off after 8 KB of gzip.
    const noise = randomBytes(1024 * 1024).toString('base64');
    const gz = gzipSync(Buffer.from(`{"manifest":${JSON.stringify(manifest)},\n"data":{"tenants":["${noise}"]}}`));
    expect(gz.length).toBeGreaterThan(100 * 1024);
    const truncated = new Uint8Array(gz.subarray(0, 8 * 1024));

    // A truncated gzip file would fail to inflate to the end; reading only the head succeeds.
    const info = await readManifest(file(truncated, 'big.json.gz'), 'big.json.gz');

    expect(info.error).toBeNull();
    expect(info.manifest?.source.tenantSlug).toBe('acme');
  });

  it('says a zip bundle is read after upload', async () => {
    const info = await readManifest(file('PK\u0003\u0004', 'acme.zip'), 'acme.zip');

    expect(info.format).toBe('csv');
    expect(info.manifest).toBeNull();
    expect(info.error).toBeNull();
    expect(info.note).toMatch(/after upload/);
  });

  it('reports a JSON file that is not a bundle', async () => {
    const info = await readManifest(file('{"hello":"world"}\n', 'other.json'), 'other.json');

    expect(info.manifest).toBeNull();
    expect(info.error).toMatch(/No manifest found/);
  });

  it('reports a manifest that is not a RYTHM bundle', async () => {
    const info = await readManifest(file('{"manifest":{"format":"other"},\n', 'x.json'), 'x.json');

    expect(info.error).toMatch(/not a RYTHM bundle/);
  });

  it('refuses an unsupported extension', async () => {
    const info = await readManifest(file('hello', 'notes.txt'), 'notes.txt');

    expect(info.error).toMatch(/Unsupported file type/);
  });

  it('detects formats from file names', () => {
    expect(formatFromName('a.JSON.GZ')).toEqual({ format: 'json', compressed: true });
    expect(formatFromName('a.sql')).toEqual({ format: 'sql', compressed: false });
    expect(formatFromName('a.zip')).toEqual({ format: 'csv', compressed: false });
    expect(formatFromName('a.csv')).toBeNull();
  });

  it('extracts a balanced JSON object, ignoring braces inside strings', () => {
    expect(extractJsonObject('{"a":"}{","b":{"c":1}},rest', 0)).toBe('{"a":"}{","b":{"c":1}}');
    expect(extractJsonObject('{"a":', 0)).toBeNull();
  });
});
