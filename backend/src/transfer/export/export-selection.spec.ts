import type { ExportRequest } from '../../shared/api-types.js';
import { normaliseExport, planOptions } from './export-selection.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
const normalise = (request: Partial<ExportRequest>) => normaliseExport({ scope: 'tenant', tenantId: TENANT, format: 'json', ...request });

describe('normaliseExport', () => {
  it.each([
    [{ tenantId: undefined }, /^tenantId/],
    [{ tenantId: "x' OR TRUE --" }, /^tenantId/],
    [{ scope: 'global' as const }, /^tenantId/],
    [{ modifiedSince: "2026-01-01' OR '1'='1" }, /^modifiedSince/],
    [{ dateRange: { from: '2026-02-01', to: '2026-01-01' } }, /^dateRange/],
    [{ anonymize: true, includeCredentials: true }, /^includeCredentials/],
  ])('refuses %j naming the field', (request, message) => {
    expect(() => normalise(request)).toThrow(message);
  });

  it('keeps the fields given, as given, and lower-cases the tenant id', () => {
    const selection = normalise({ tenantId: TENANT.toUpperCase(), dateRange: { from: '2026-01-01' }, include: { sessions: false }, anonymize: true });
    expect(JSON.parse(JSON.stringify(selection))).toEqual({
      scope: 'tenant',
      tenantId: TENANT,
      format: 'json',
      dateRange: { from: '2026-01-01' },
      include: { sessions: false },
      anonymize: true,
    });
  });

  it('copies only the request fields: a DTO instance or extra properties stay behind', () => {
    const request = Object.assign(Object.create({ inherited: true }) as object, { scope: 'full', format: 'sql', extra: 1 }) as ExportRequest;
    expect(JSON.parse(JSON.stringify(normaliseExport(request)))).toEqual({ scope: 'full', format: 'sql' });
  });

  it('survives a JSON round trip (a job stores it) with the same meaning', () => {
    const selection = normalise({ dateRange: { from: '2026-01-01', to: '2026-02-01T12:00:00+02:00' }, modifiedSince: '2026-01-15T00:00:00Z' });
    const stored = JSON.parse(JSON.stringify(selection)) as typeof selection;
    expect(planOptions(stored)).toEqual(planOptions(selection));
    expect(planOptions(stored)).toMatchObject({
      tenantId: TENANT,
      includeUsers: true,
      includeSessions: true,
      from: new Date('2026-01-01T00:00:00Z'),
      to: new Date('2026-02-01T10:00:00Z'),
      modifiedSince: new Date('2026-01-15T00:00:00Z'),
      credentials: false,
    });
  });
});

describe('planOptions', () => {
  it('carries credentials only when asked, with the users, in the clear', () => {
    expect(planOptions(normalise({ includeCredentials: true })).credentials).toBe(true);
    expect(planOptions(normalise({ includeCredentials: true, include: { users: false } })).credentials).toBe(false);
    expect(planOptions(normalise({})).credentials).toBe(false);
    expect(planOptions(normalise({ anonymize: true })).credentials).toBe(false);
  });
});
