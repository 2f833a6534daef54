import type { ExportScope, ImportRequest, ImportStrategy } from '@rythm/api-types';

/** The wizard's target step as the form gives it (raw value: disabled controls included). */
export interface ImportTargetValue {
  scope: ExportScope;
  targetTenantId: string;
  strategy: ImportStrategy | '';
  asNewTenant: boolean;
  newTenantName: string;
  newTenantSlug: string;
}

/**
 * Builds the POST /api/imports fields of the dry run. Org admins import into a tenant (their
 * own) and never as a new tenant; a new tenant's empty name and slug are left to the server's
 * defaults; the target is sent only when the bundle goes into an existing tenant.
 */
export function buildImportRequest(value: ImportTargetValue, isSystemAdmin: boolean): ImportRequest {
  if (!value.strategy) throw new Error('Choose a strategy first');
  const scope: ExportScope = isSystemAdmin ? value.scope : 'tenant';
  const request: ImportRequest = { scope, strategy: value.strategy, dryRun: true };
  if (scope !== 'tenant') return request;
  if (isSystemAdmin && value.asNewTenant) {
    request.asNewTenant = true;
    const name = value.newTenantName.trim();
    const slug = value.newTenantSlug.trim();
    if (name) request.newTenantName = name;
    if (slug) request.newTenantSlug = slug;
  } else {
    request.asNewTenant = false;
    request.targetTenantId = value.targetTenantId;
  }
  return request;
}
