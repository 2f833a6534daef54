import type { Role } from '../../shared/api-types.js';

/**
 * What a bundle may change about power, by who imports it (docs/security.md). A bundle is
 * untrusted about power as much as about data: it never gives anyone more than the importer has.
 *
 * - System admins may write credentials and any tenant role (the schema still refuses a system
 *   admin inside a tenant, whoever imports).
 * - Org admins never write credentials: an uploaded bundle that carries them is refused; a
 *   restore of one of their tenant's backups (which the system wrote, with credentials) keeps
 *   every user's current password hash instead. Their imports may create athletes, coaches and
 *   org admins, and move a user between athlete and coach, but never change a role to or from
 *   org_admin, nor delete an org admin.
 */
export type ImportSource = 'upload' | 'backup';

export interface ImportTrust {
  /** `write`: as in the bundle; `refuse`: a bundle that carries them is refused; `keep`: ignored, existing values stay. */
  credentials: 'write' | 'refuse' | 'keep';
  /** Role changes to or from org_admin, and deletes of org admins, are validation errors. */
  limitedRoles: boolean;
}

export function trustOf(role: Role, source: ImportSource): ImportTrust {
  if (role === 'system_admin') return { credentials: 'write', limitedRoles: false };
  return { credentials: source === 'backup' ? 'keep' : 'refuse', limitedRoles: true };
}

/** The role an org admin's import may neither grant nor take away. */
export const GUARDED_ROLE: Role = 'org_admin';
