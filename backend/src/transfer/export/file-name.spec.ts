import { bundleExtension, bundleFileName, compactUtc } from './file-name.js';

describe('bundle file names', () => {
  const at = new Date('2026-11-28T04:05:06.789Z');

  it('names tenant, global and full bundles with the UTC time', () => {
    expect(bundleFileName({ scope: 'tenant', tenantSlug: 'northside', format: 'json', compress: true, at })).toBe(
      'rythm-northside-tenant-20261128T040506Z.json.gz',
    );
    expect(bundleFileName({ scope: 'global', format: 'csv', compress: true, at })).toBe('rythm-global-20261128T040506Z.zip');
    expect(bundleFileName({ scope: 'full', format: 'sql', compress: false, at })).toBe('rythm-full-20261128T040506Z.sql');
  });

  it('reduces a slug to file-name-safe characters', () => {
    expect(bundleFileName({ scope: 'tenant', tenantSlug: '../Evil "Slug"', format: 'sql', compress: false, at })).toBe(
      'rythm-evil-slug-tenant-20261128T040506Z.sql',
    );
  });

  it('csv is always a zip', () => {
    expect(bundleExtension('csv', false)).toBe('.zip');
    expect(compactUtc(at)).toBe('20261128T040506Z');
  });
});
