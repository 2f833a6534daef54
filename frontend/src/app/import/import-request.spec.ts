import { type ImportTargetValue, buildImportRequest } from './import-request';

const base: ImportTargetValue = {
  scope: 'tenant',
  targetTenantId: 'tenant-acme',
  strategy: 'merge',
  asNewTenant: false,
  newTenantName: '',
  newTenantSlug: '',
};

describe('buildImportRequest', () => {
  it('sends an existing tenant as the target, as a dry run', () => {
    expect(buildImportRequest(base, false)).toEqual({ scope: 'tenant', strategy: 'merge', dryRun: true, asNewTenant: false, targetTenantId: 'tenant-acme' });
  });

  it('never lets an org admin import another scope or as a new tenant', () => {
    const request = buildImportRequest({ ...base, scope: 'full', asNewTenant: true, newTenantName: 'X' }, false);
    expect(request).toEqual({ scope: 'tenant', strategy: 'merge', dryRun: true, asNewTenant: false, targetTenantId: 'tenant-acme' });
  });

  it('sends a new tenant with its trimmed name and slug, and no target', () => {
    const request = buildImportRequest({ ...base, asNewTenant: true, newTenantName: '  QA copy ', newTenantSlug: ' qa-copy ' }, true);
    expect(request).toEqual({ scope: 'tenant', strategy: 'merge', dryRun: true, asNewTenant: true, newTenantName: 'QA copy', newTenantSlug: 'qa-copy' });
  });

  it('leaves an empty new name and slug to the server', () => {
    const request = buildImportRequest({ ...base, asNewTenant: true }, true);
    expect(request).toEqual({ scope: 'tenant', strategy: 'merge', dryRun: true, asNewTenant: true });
  });

  it('sends neither target nor new-tenant fields for global and full bundles', () => {
    expect(buildImportRequest({ ...base, scope: 'global', strategy: 'replace' }, true)).toEqual({ scope: 'global', strategy: 'replace', dryRun: true });
    expect(buildImportRequest({ ...base, scope: 'full', asNewTenant: true }, true)).toEqual({ scope: 'full', strategy: 'merge', dryRun: true });
  });

  it('refuses to build a request without a strategy', () => {
    expect(() => buildImportRequest({ ...base, strategy: '' }, true)).toThrow(/strategy/);
  });
});
