import { parseSqlCopyHeaderLine, sqlCopyHeaderLine } from './dialect.js';

describe('SQL bundle COPY header line', () => {
  it('writes and parses the exact dialect', () => {
    const line = sqlCopyHeaderLine('tenants', ['id', 'name', 'created_at']);
    expect(line).toBe('COPY "tenants" ("id", "name", "created_at") FROM stdin;');
    expect(parseSqlCopyHeaderLine(line)).toEqual({ table: 'tenants', columns: ['id', 'name', 'created_at'] });
  });

  it.each([
    'COPY tenants (id) FROM stdin;',
    'COPY "tenants" ("id") FROM \'/etc/passwd\';',
    'COPY "t" ("a","b") FROM stdin;',
    'COPY "t" ("a") FROM stdin; DROP TABLE x;',
  ])('rejects %j', (line) => {
    expect(parseSqlCopyHeaderLine(line)).toBeNull();
  });
});
