import type { Actor } from '../auth/actor.js';
import { assertScopeAllowed, resolveTenantAccess } from '../auth/tenant-scope.js';
import { AppException } from '../common/app-exception.js';
import type { ImportRequest } from '../shared/api-types.js';

/**
 * Who may import what: the one access decision of an import, made before it is queued (the
 * engine does not decide it again). Returns the tenant the import writes, when it is known: null
 * for global and full scope, a clone (its tenant is new) and a system admin's import that leaves
 * the target out (the engine then writes the bundle's own tenant). How the options go together
 * is the engine's rule (normaliseImport), checked after this.
 */
export function importAccess(actor: Actor, request: ImportRequest): string | null {
  assertScopeAllowed(actor, request.scope);
  if (request.scope !== 'tenant') return null;
  if (request.asNewTenant) {
    if (actor.role !== 'system_admin') throw new AppException('FORBIDDEN', 'Only system admins can import a bundle as a new tenant');
    return null;
  }
  if (actor.role === 'system_admin' && !request.targetTenantId) return null;
  return resolveTenantAccess(actor, request.targetTenantId);
}
