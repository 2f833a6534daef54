import { mkdtemp, mkdir, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient } from './api-client.js';
import { destinationFor, download, fileNameFromDisposition, safeName } from './download.js';

describe('file names from the server', () => {
  it('reads filename and filename* from Content-Disposition', () => {
    expect(fileNameFromDisposition('attachment; filename="northside-2026.json.gz"')).toBe('northside-2026.json.gz');
    expect(fileNameFromDisposition("attachment; filename*=UTF-8''caf%C3%A9.json")).toBe('café.json');
    expect(fileNameFromDisposition('attachment; filename=plain.sql')).toBe('plain.sql');
    expect(fileNameFromDisposition(null)).toBeNull();
  });

  it('never lets the server choose a directory, a dot file or control characters', () => {
    expect(fileNameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('passwd');
    expect(safeName('..\\..\\win.ini')).toBe('win.ini');
    expect(safeName('.bashrc')).toBeNull();
    expect(safeName('a\u0000b\nc.json')).toBe('abc.json');
  });
});

describe('destinationFor', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rythm-dl-'));
    await mkdir(join(dir, 'existing'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('uses the current directory, a directory given with a slash or existing, or a file path', async () => {
    expect(await destinationFor(undefined, dir, 'b.json')).toBe(join(dir, 'b.json'));
    expect(await destinationFor('new/', dir, 'b.json')).toBe(join(dir, 'new', 'b.json'));
    expect(await destinationFor('existing', dir, 'b.json')).toBe(join(dir, 'existing', 'b.json'));
    expect(await destinationFor('out/mine.json', dir, 'b.json')).toBe(join(dir, 'out', 'mine.json'));
  });

  it('streams the file through .part and reports its size and sha256', async () => {
    const fetch = () => Promise.resolve(new Response('hello', { headers: { 'content-disposition': 'attachment; filename="x.json"', 'content-length': '5' } }));
    const file = await download(new ApiClient('http://api', 't', fetch), '/api/exports/j/download', { out: 'got/', cwd: dir, fallbackName: 'fallback.json' });
    expect(file).toEqual({ path: join(dir, 'got', 'x.json'), sizeBytes: 5, sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' });
    expect(await readFile(file.path, 'utf8')).toBe('hello');
    expect(await readdir(join(dir, 'got'))).toEqual(['x.json']);
  });
});
