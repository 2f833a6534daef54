import { carriesCredentials, compresses, type ExportFormat, type ExportRequest, type ExportScope, scopeNamesTenant } from '@rythm/api-types';
import { endOfDayExclusiveIso, startOfDayIso } from '../shared/dates';

/** The export form's raw value (dates as the inputs give them: yyyy-mm-dd, yyyy-mm-ddThh:mm). */
export interface ExportFormValue {
  scope: ExportScope;
  tenantId: string;
  format: ExportFormat;
  includeUsers: boolean;
  includeSessions: boolean;
  from: string;
  to: string;
  modifiedSince: string;
  anonymize: boolean;
  compress: boolean;
  includeCredentials: boolean;
}

/**
 * Builds the POST /api/exports body. Options that do not apply to the scope are left out
 * (global data has no users or sessions), and so are the system-admin-only ones for org admins.
 */
export function buildExportRequest(value: ExportFormValue, isSystemAdmin: boolean): ExportRequest {
  const scope: ExportScope = isSystemAdmin ? value.scope : 'tenant';
  const request: ExportRequest = { scope, format: value.format };
  if (scopeNamesTenant(scope)) request.tenantId = value.tenantId;
  // The option rules are the API's own (shared/export-options.ts): a CSV zip is never gzipped.
  request.compress = compresses({ format: value.format, compress: value.compress });
  if (scope !== 'global') {
    request.include = { users: value.includeUsers, sessions: value.includeSessions };
    if (value.includeSessions && (value.from || value.to)) {
      request.dateRange = {};
      if (value.from) request.dateRange.from = startOfDayIso(value.from);
      if (value.to) request.dateRange.to = endOfDayExclusiveIso(value.to);
    }
    request.anonymize = value.anonymize;
    if (isSystemAdmin)
      request.includeCredentials = carriesCredentials({
        include: { users: value.includeUsers },
        anonymize: value.anonymize,
        includeCredentials: value.includeCredentials,
      });
  }
  if (value.modifiedSince) request.modifiedSince = new Date(value.modifiedSince).toISOString();
  return request;
}
