import { canCompress, carriesCredentials, compresses, credentialsConflict, dateRangeOrdered, scopeNamesTenant } from './export-options.js';

describe('the export option rules', () => {
  it('gzip only json and sql: csv bundles are zip files', () => {
    expect(canCompress('json')).toBe(true);
    expect(canCompress('sql')).toBe(true);
    expect(canCompress('csv')).toBe(false);
    expect(compresses({ format: 'sql', compress: true })).toBe(true);
    expect(compresses({ format: 'csv', compress: true })).toBe(false);
    expect(compresses({ format: 'json' })).toBe(false);
  });

  it('a tenant only in tenant scope', () => {
    expect(scopeNamesTenant('tenant')).toBe(true);
    expect(scopeNamesTenant('global')).toBe(false);
    expect(scopeNamesTenant('full')).toBe(false);
  });

  it('credentials never with anonymize, and they travel only with the users', () => {
    expect(credentialsConflict({ anonymize: true, includeCredentials: true })).toBe(true);
    expect(credentialsConflict({ anonymize: true })).toBe(false);
    expect(credentialsConflict({ includeCredentials: true })).toBe(false);
    expect(carriesCredentials({ includeCredentials: true })).toBe(true);
    expect(carriesCredentials({ includeCredentials: true, include: { users: true } })).toBe(true);
    expect(carriesCredentials({ includeCredentials: true, include: { users: false } })).toBe(false);
    expect(carriesCredentials({ includeCredentials: true, anonymize: true })).toBe(false);
    expect(carriesCredentials({})).toBe(false);
  });

  it('a date range runs forward: from strictly before to, as instants', () => {
    expect(dateRangeOrdered('2026-01-01', '2026-01-02')).toBe(true);
    expect(dateRangeOrdered('2026-01-02', '2026-01-01')).toBe(false);
    expect(dateRangeOrdered('2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toBe(false);
    expect(dateRangeOrdered('2026-01-01T01:00:00+02:00', '2026-01-01T00:00:00Z')).toBe(true);
  });
});
