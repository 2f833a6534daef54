import type { ImportRequest } from '../../shared/api-types.js';
import { normaliseImport, selectionOf } from './import-selection.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const normalise = (request: Partial<ImportRequest>) => normaliseImport({ scope: 'tenant', strategy: 'merge', dryRun: true, ...request });

describe('normaliseImport', () => {
  it.each([
    [{ targetTenantId: 'nope' }, /^targetTenantId: must be a uuid/],
    [{ scope: 'global' as const, targetTenantId: TENANT }, /^targetTenantId: must be absent for global scope/],
    [{ scope: 'full' as const, asNewTenant: true }, /^asNewTenant: applies to tenant scope only/],
    [{ asNewTenant: true, targetTenantId: TENANT }, /^targetTenantId: leave it out when importing as a new tenant/],
  ])('refuses %j naming the field', (request, message) => {
    expect(() => normalise(request)).toThrow(message);
    expect(() => normalise(request)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });

  it('accepts an upper-case target tenant by lower-casing it', () => {
    expect(normalise({ targetTenantId: TENANT.toUpperCase() }).targetTenantId).toBe(TENANT);
  });

  it('keeps the fields given and nothing else, so a job stores what the request said', () => {
    const dto = Object.assign(Object.create({ inherited: 1 }) as object, {
      scope: 'tenant',
      strategy: 'replace',
      dryRun: false,
      asNewTenant: true,
      newTenantName: 'QA 7',
      newTenantSlug: 'qa-7',
      extra: 'x',
    }) as ImportRequest;
    expect(JSON.parse(JSON.stringify(normaliseImport(dto)))).toEqual({
      scope: 'tenant',
      strategy: 'replace',
      dryRun: false,
      asNewTenant: true,
      newTenantName: 'QA 7',
      newTenantSlug: 'qa-7',
    });
  });
});

describe('selectionOf', () => {
  it("takes the selection out of a job's params, leaving who asked behind", () => {
    const params = { ...normalise({ targetTenantId: TENANT }), actorRole: 'org_admin', actorTenantId: TENANT, appliesJobId: 'x' };
    expect(selectionOf(params)).toEqual({ scope: 'tenant', strategy: 'merge', dryRun: true, targetTenantId: TENANT });
  });
});
