import type { BundleManifest } from '../../shared/api-types.js';
import { UsageError } from '../errors.js';
import { exportRequestFromFlags } from './export.js';
import { importRequestFromFlags } from './import.js';

/** The parts of a CommandContext that the request builders read. */
function flags(values: Record<string, string | boolean>, command = 'export') {
  return {
    command,
    string: (name: string) => (typeof values[name] === 'string' ? values[name] : undefined),
    flag: (name: string) => values[name] === true,
  };
}

describe('export flags → ExportRequest', () => {
  it('maps every option', () => {
    expect(
      exportRequestFromFlags(
        flags({
          tenant: 'northside',
          format: 'sql',
          compress: true,
          'no-users': true,
          from: '2026-01-01',
          to: '2026-02-01T00:00:00Z',
          'modified-since': '2025-12-31T23:00:00+01:00',
          anonymize: true,
        }),
      ),
    ).toEqual({
      scope: 'tenant',
      tenantId: 'northside',
      format: 'sql',
      compress: true,
      include: { users: false, sessions: true },
      dateRange: { from: '2026-01-01T00:00:00.000Z', to: '2026-02-01T00:00:00.000Z' },
      modifiedSince: '2025-12-31T22:00:00.000Z',
      anonymize: true,
    });
  });

  it('defaults to a JSON tenant export and sends only what was asked', () => {
    expect(exportRequestFromFlags(flags({}))).toEqual({ scope: 'tenant', format: 'json' });
    expect(exportRequestFromFlags(flags({ scope: 'full', 'include-credentials': true, 'no-sessions': true }))).toEqual({
      scope: 'full',
      format: 'json',
      include: { users: true, sessions: false },
      includeCredentials: true,
    });
  });

  it('refuses combinations that make no sense, as usage errors', () => {
    const refuse = (values: Record<string, string | boolean>, message: string) => {
      expect(() => exportRequestFromFlags(flags(values))).toThrow(message);
      expect(() => exportRequestFromFlags(flags(values))).toThrow(UsageError);
    };
    refuse({ scope: 'global', tenant: 'northside' }, '--tenant only goes with --scope tenant');
    refuse({ format: 'csv', compress: true }, 'csv bundles are zip files');
    refuse({ from: '2026-02-01', to: '2026-01-01' }, '--from must be before --to');
    refuse({ anonymize: true, 'include-credentials': true }, 'do not go together');
    refuse({ from: 'last week' }, '--from must be a date');
  });
});

describe('import flags → ImportRequest', () => {
  const manifest = { scope: 'global' } as BundleManifest;
  const build = (values: Record<string, string | boolean>, m: BundleManifest | null = manifest) => importRequestFromFlags(flags(values, 'import'), m);

  it('takes the scope from the manifest unless told otherwise', () => {
    expect(build({ strategy: 'skip' })).toEqual({ scope: 'global', strategy: 'skip', dryRun: false });
    expect(build({ strategy: 'replace', scope: 'full', 'dry-run': true })).toEqual({ scope: 'full', strategy: 'replace', dryRun: true });
  });

  it('makes a tenant import of --tenant and of --as-new-tenant, which defaults the strategy', () => {
    expect(build({ tenant: 'harbor', strategy: 'merge' })).toEqual({ scope: 'tenant', strategy: 'merge', dryRun: false, targetTenantId: 'harbor' });
    expect(build({ 'as-new-tenant': true, name: 'QA 1', slug: 'qa-1' })).toEqual({
      scope: 'tenant',
      strategy: 'merge',
      dryRun: false,
      asNewTenant: true,
      newTenantName: 'QA 1',
      newTenantSlug: 'qa-1',
    });
  });

  it('refuses what it cannot decide or what contradicts itself', () => {
    expect(() => build({ strategy: 'merge' }, null)).toThrow("--scope is required: the bundle's manifest could not be read");
    expect(() => build({})).toThrow('--strategy is required');
    expect(() => build({ 'as-new-tenant': true, tenant: 'x' })).toThrow('leave --tenant out');
    expect(() => build({ slug: 'x', strategy: 'merge' })).toThrow('they need --as-new-tenant');
    expect(() => build({ scope: 'global', tenant: 'x', strategy: 'merge' })).toThrow('go with --scope tenant');
  });

  it("holds --slug and --name to the API's tenant rules before uploading", () => {
    expect(() => build({ 'as-new-tenant': true, slug: 'QA_1' })).toThrow('--slug: expected lower-case letters, digits and hyphens');
    expect(() => build({ 'as-new-tenant': true, slug: 'qa-' })).toThrow('--slug: expected');
    expect(() => build({ 'as-new-tenant': true, name: '  ' })).toThrow('--name: expected');
    expect(build({ 'as-new-tenant': true, slug: 'qa-run-7' })).toMatchObject({ newTenantSlug: 'qa-run-7' });
  });

  it('makes a scratch clone with a time-to-live and tagged addresses, and refuses them on anything but a clone', () => {
    expect(build({ 'as-new-tenant': true, slug: 'qa-8', scratch: true, ttl: '2h', 'tag-emails': true })).toEqual({
      scope: 'tenant',
      strategy: 'merge',
      dryRun: false,
      asNewTenant: true,
      newTenantSlug: 'qa-8',
      scratch: true,
      tagEmails: true,
      ttlSeconds: 7200,
    });
    expect(build({ 'as-new-tenant': true, ttl: '90s' })).toMatchObject({ ttlSeconds: 90 });
    expect(() => build({ 'as-new-tenant': true, ttl: '30s' })).toThrow('--ttl: expected a number and a unit');
    expect(() => build({ 'as-new-tenant': true, ttl: '31d' })).toThrow('from 1 minute to 30 days');
    expect(() => build({ 'as-new-tenant': true, ttl: 'tomorrow' })).toThrow(UsageError);
    expect(() => build({ tenant: 'harbor', strategy: 'merge', scratch: true })).toThrow('they need --as-new-tenant');
    expect(() => build({ tenant: 'harbor', strategy: 'merge', ttl: '1h' })).toThrow('they need --as-new-tenant');
  });
});
