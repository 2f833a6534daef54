import type { ImportRequest } from '../../shared/api-types.js';
import { canonicalUuid } from '../../shared/patterns.js';
import { TransferError } from '../errors.js';

declare const checked: unique symbol;

/**
 * An import request that `normaliseImport` has checked: the fields of ImportRequest, the target
 * tenant lower-case, every option combination allowed. JSON-safe, so an import job stores it in its
 * params. The brand (a type only, nothing at run time) means that nothing else makes one.
 */
export type ImportSelection = Readonly<ImportRequest> & { readonly [checked]: true };

/**
 * Checks a request against the rules that relate its options (scope, target tenant, clone);
 * throws BAD_REQUEST naming the field. Who may import what is the caller's decision, made before
 * (auth/tenant-scope.ts); what a bundle may change about power is the engine's (trust.ts).
 */
export function normaliseImport(request: ImportRequest): ImportSelection {
  const bad = (field: string, message: string) => new TransferError('BAD_REQUEST', `${field}: ${message}`, { fields: [{ field, message }] });
  const targetTenantId = request.targetTenantId ? canonicalUuid(request.targetTenantId) : null;
  if (request.targetTenantId && !targetTenantId) throw bad('targetTenantId', 'must be a uuid');
  if (request.scope !== 'tenant') {
    if (targetTenantId) throw bad('targetTenantId', `must be absent for ${request.scope} scope`);
    if (request.asNewTenant) throw bad('asNewTenant', 'applies to tenant scope only');
  } else if (request.asNewTenant && targetTenantId) {
    throw bad('targetTenantId', 'leave it out when importing as a new tenant');
  }
  // What a clone may be made as: only a tenant that a clone creates can be scratch or tagged.
  for (const field of ['tagEmails', 'scratch', 'ttlSeconds'] as const) {
    if (request[field] !== undefined && request[field] !== false && !request.asNewTenant) {
      throw bad(field, 'applies only when importing as a new tenant (asNewTenant): an existing tenant is never made scratch');
    }
  }
  if (request.ttlSeconds !== undefined && request.scratch === false)
    throw bad('ttlSeconds', 'a time-to-live makes the clone scratch: leave scratch out or true');
  return copyFields({ ...request, targetTenantId: targetTenantId ?? undefined }) as ImportSelection;
}

/** The selection inside a value that carries more (an import job's params also say who asked). */
export function selectionOf(value: ImportSelection): ImportSelection {
  return copyFields(value) as ImportSelection;
}

/** A plain copy of the request fields given: a DTO instance, or anything else the caller added, stays behind. */
function copyFields(request: ImportRequest): ImportRequest {
  const selection: ImportRequest = { scope: request.scope, strategy: request.strategy, dryRun: request.dryRun };
  if (request.targetTenantId) selection.targetTenantId = request.targetTenantId;
  if (typeof request.asNewTenant === 'boolean') selection.asNewTenant = request.asNewTenant;
  if (typeof request.newTenantName === 'string') selection.newTenantName = request.newTenantName;
  if (typeof request.newTenantSlug === 'string') selection.newTenantSlug = request.newTenantSlug;
  if (typeof request.tagEmails === 'boolean') selection.tagEmails = request.tagEmails;
  if (typeof request.scratch === 'boolean') selection.scratch = request.scratch;
  if (typeof request.ttlSeconds === 'number') selection.ttlSeconds = request.ttlSeconds;
  return selection;
}
