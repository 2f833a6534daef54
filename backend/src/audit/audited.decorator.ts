import { SetMetadata } from '@nestjs/common';

export const AUDIT_ACTION = 'rythm:auditAction';

/** The route writes one audit row under this action name, whatever its outcome. */
export const Audited = (action: string) => SetMetadata(AUDIT_ACTION, action);

const AUDIT_TENANT = Symbol('rythm:auditTenant');

/**
 * Names the tenant an audited request acted on when neither its body nor its result says so (a
 * download or a delete by id): a system admin's download of a tenant's backup then shows in that
 * tenant's audit log.
 */
export function auditTenant(request: object, tenantId: string | null): void {
  (request as Record<symbol, unknown>)[AUDIT_TENANT] = tenantId;
}

export function auditedTenantOf(request: object): string | null | undefined {
  return (request as Record<symbol, string | null | undefined>)[AUDIT_TENANT];
}

const AUDIT_DETAILS = Symbol('rythm:auditDetails');

/**
 * Adds what the handler learnt while it ran (rows deleted, users updated) to the parameters of the
 * request's audit row. Never pass a secret: the row's parameters go through scrubParams all the same.
 */
export function auditDetails(request: object, details: Record<string, unknown>): void {
  const holder = request as Record<symbol, Record<string, unknown> | undefined>;
  holder[AUDIT_DETAILS] = { ...holder[AUDIT_DETAILS], ...details };
}

export function auditedDetailsOf(request: object): Record<string, unknown> {
  return (request as Record<symbol, Record<string, unknown> | undefined>)[AUDIT_DETAILS] ?? {};
}
