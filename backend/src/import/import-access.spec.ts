import type { Actor } from '../auth/actor.js';
import type { ImportRequest } from '../shared/api-types.js';
import { normaliseImport } from '../transfer/import/import-selection.js';
import { importAccess } from './import-access.js';

const NORTHSIDE = '11111111-1111-4111-8111-111111111111';
const HARBOR = '22222222-2222-4222-8222-222222222222';
const orgAdmin = (tenantId: string): Actor => ({ id: 'a', email: 'admin@northside.test', role: 'org_admin', tenantId });
const SYSTEM_ADMIN: Actor = { id: 's', email: 'root@rythm.test', role: 'system_admin', tenantId: null };

/** As ImportService.create does it: access first, then the engine's option rules. */
const decide = (request: Partial<ImportRequest> & { actor?: Actor }) =>
  Promise.resolve().then(() => {
    const { actor = SYSTEM_ADMIN, ...fields } = request;
    const full: ImportRequest = { scope: 'tenant', strategy: 'merge', dryRun: false, ...fields };
    const tenantId = importAccess(actor, full);
    return { tenantId, selection: normaliseImport({ ...full, targetTenantId: tenantId ?? full.targetTenantId }) };
  });

describe('who may import what (importAccess), decided once before the job is queued', () => {
  it('refuses an org admin naming another tenant, and global or full scope, before reading anything', async () => {
    await expect(decide({ targetTenantId: HARBOR, actor: orgAdmin(NORTHSIDE) })).rejects.toMatchObject({ code: 'TENANT_FORBIDDEN' });
    await expect(decide({ scope: 'global', actor: orgAdmin(NORTHSIDE) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decide({ asNewTenant: true, actor: orgAdmin(NORTHSIDE) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it("writes an org admin's own tenant when the target is left out", async () => {
    await expect(decide({ actor: orgAdmin(NORTHSIDE) })).resolves.toMatchObject({ tenantId: NORTHSIDE, selection: { targetTenantId: NORTHSIDE } });
  });

  it("leaves a system admin's target open (the bundle's tenant), and a clone's (a new tenant)", async () => {
    await expect(decide({})).resolves.toEqual({ tenantId: null, selection: { scope: 'tenant', strategy: 'merge', dryRun: false } });
    await expect(decide({ asNewTenant: true })).resolves.toMatchObject({ tenantId: null, selection: { asNewTenant: true } });
    await expect(decide({ targetTenantId: HARBOR })).resolves.toMatchObject({ tenantId: HARBOR, selection: { targetTenantId: HARBOR } });
  });

  it('refuses an org admin before it looks at the options', async () => {
    // A clone with a target is a 400 for a system admin, but an org admin may not clone at all.
    await expect(decide({ asNewTenant: true, targetTenantId: NORTHSIDE, actor: orgAdmin(NORTHSIDE) })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(decide({ asNewTenant: true, targetTenantId: NORTHSIDE })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });
});
