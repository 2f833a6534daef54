/**
 * Every action the audit log records, shared by the API (which writes them) and the console
 * (whose Action filter offers them). Adding an audited route means adding its action here.
 */
export const AUDIT_ACTIONS = [
  'auth.login',
  'access.denied',
  'export.create',
  'export.download',
  'import.create',
  'import.apply',
  'import.undo',
  'import.result',
  'backup.create',
  'backup.download',
  'backup.delete',
  'backup.restore',
  'api-token.create',
  'api-token.revoke',
  'tenant.delete',
  'tenant.password',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];
