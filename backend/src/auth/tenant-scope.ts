import { AppException } from '../common/app-exception.js';
import type { ExportScope } from '../shared/api-types.js';
import type { Actor } from './actor.js';

/**
 * The one tenant-scope check: every service that acts on a tenant asks here. An org admin acts
 * only on their own tenant and never on global or full scope; a system admin acts anywhere.
 * Returns the tenant id to use.
 */
export function resolveTenantAccess(actor: Actor, requestedTenantId: string | null | undefined): string {
  if (actor.role === 'system_admin') {
    if (!requestedTenantId)
      throw new AppException('BAD_REQUEST', 'tenantId: a tenant is required for tenant scope', {
        fields: [{ field: 'tenantId', message: 'required for tenant scope' }],
      });
    return requestedTenantId;
  }
  if (actor.role !== 'org_admin' || !actor.tenantId) {
    throw new AppException('FORBIDDEN', 'This action needs an org admin or system admin');
  }
  if (requestedTenantId && requestedTenantId !== actor.tenantId) {
    throw new AppException('TENANT_FORBIDDEN', 'Org admins can act only on their own tenant');
  }
  return actor.tenantId;
}

export function assertScopeAllowed(actor: Actor, scope: ExportScope): void {
  if (scope !== 'tenant' && actor.role !== 'system_admin') {
    throw new AppException('FORBIDDEN', `Only system admins can use ${scope} scope`);
  }
}

/** For listings: null means "every tenant" (system admin), else the one tenant visible. */
export function visibleTenant(actor: Actor): string | null {
  if (actor.role === 'system_admin') return null;
  if (!actor.tenantId) throw new AppException('FORBIDDEN', 'No tenant is visible to this user');
  return actor.tenantId;
}
