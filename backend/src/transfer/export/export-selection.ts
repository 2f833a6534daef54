import type { ExportRequest, ExportScope } from '../../shared/api-types.js';
import { carriesCredentials, credentialsConflict, dateRangeOrdered, scopeNamesTenant } from '../../shared/export-options.js';
import { canonicalUuid } from '../../shared/patterns.js';
import { TransferError } from '../errors.js';

declare const checked: unique symbol;

/**
 * An export request that `normaliseExport` has checked: the fields of ExportRequest, the tenant id
 * lower-case and present exactly for tenant scope, every option combination allowed. JSON-safe, so
 * an export job stores it as its params and the runner hands it to exportBundle as it is. The
 * brand (a type only, nothing at run time) means that nothing else makes one.
 */
export type ExportSelection = Readonly<ExportRequest> & { readonly [checked]: true };

/** What the plan reads from a selection: defaults applied, instants parsed. */
export interface PlanOptions {
  scope: ExportScope;
  tenantId: string | null;
  includeUsers: boolean;
  includeSessions: boolean;
  from: Date | null;
  to: Date | null;
  modifiedSince: Date | null;
  anonymize: boolean;
  /** Whether the credential columns travel (shared/export-options.ts). */
  credentials: boolean;
  /** As asked, for the manifest. */
  includeCredentials: boolean;
}

function parseInstant(field: string, value: string | undefined): Date | null {
  if (value === undefined || value === null) return null;
  const date = new Date(value);
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(date.getTime())) {
    throw new TransferError('BAD_REQUEST', `${field}: expected an ISO 8601 date or date-time, got ${JSON.stringify(value)}`, {
      fields: [{ field, message: 'must be an ISO 8601 date' }],
    });
  }
  return date;
}

/**
 * Checks a request against the rules that relate its options (scope and tenant, the date range,
 * anonymize and credentials); throws BAD_REQUEST naming the field. Who may ask for what is the
 * caller's decision, made before.
 */
export function normaliseExport(request: ExportRequest): ExportSelection {
  const bad = (field: string, message: string) => new TransferError('BAD_REQUEST', `${field}: ${message}`, { fields: [{ field, message }] });
  if (!['tenant', 'global', 'full'].includes(request.scope)) throw bad('scope', 'must be tenant, global or full');
  let tenantId: string | null = null;
  if (scopeNamesTenant(request.scope)) {
    tenantId = request.tenantId ? canonicalUuid(request.tenantId) : null;
    if (!tenantId) throw bad('tenantId', 'a tenant id (uuid) is required for tenant scope');
  } else if (request.tenantId) {
    throw bad('tenantId', `must be absent for ${request.scope} scope`);
  }
  const from = parseInstant('dateRange.from', request.dateRange?.from);
  const to = parseInstant('dateRange.to', request.dateRange?.to);
  if (from && to && !dateRangeOrdered(from.toISOString(), to.toISOString())) throw bad('dateRange', 'from must be before to');
  if (credentialsConflict(request)) throw bad('includeCredentials', 'cannot be combined with anonymize');
  parseInstant('modifiedSince', request.modifiedSince);

  // A plain copy of the fields given: a DTO instance, or anything else the caller built, stays behind.
  const selection: { -readonly [K in keyof ExportRequest]: ExportRequest[K] } = { scope: request.scope, format: request.format };
  if (tenantId) selection.tenantId = tenantId;
  if (typeof request.compress === 'boolean') selection.compress = request.compress;
  if (request.include) selection.include = definedOnly({ users: request.include.users, sessions: request.include.sessions });
  if (request.dateRange) selection.dateRange = definedOnly({ from: request.dateRange.from, to: request.dateRange.to });
  if (typeof request.modifiedSince === 'string') selection.modifiedSince = request.modifiedSince;
  if (typeof request.anonymize === 'boolean') selection.anonymize = request.anonymize;
  if (typeof request.includeCredentials === 'boolean') selection.includeCredentials = request.includeCredentials;
  return selection as ExportSelection;
}

/** The plan's view of a selection (no checks: the selection was checked when it was made). */
export function planOptions(selection: ExportSelection): PlanOptions {
  const instant = (value: string | undefined) => (typeof value === 'string' ? new Date(value) : null);
  return {
    scope: selection.scope,
    tenantId: selection.tenantId ?? null,
    includeUsers: selection.include?.users !== false,
    includeSessions: selection.include?.sessions !== false,
    from: instant(selection.dateRange?.from),
    to: instant(selection.dateRange?.to),
    modifiedSince: instant(selection.modifiedSince),
    anonymize: selection.anonymize === true,
    credentials: carriesCredentials(selection),
    includeCredentials: selection.includeCredentials === true,
  };
}

function definedOnly<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}
