import { type AuditEntry, UUID_ANY_CASE as UUID } from '@rythm/api-types';
import { AUDIT_ACTIONS, type AuditAction } from '@rythm/audit-actions';
import { plural } from '../shared/text';

// Every action the API records, and (the extra keys) ones it is about to: `import.undo` arrives with the undo backend.
const ACTION_LABELS: Record<AuditAction, string> & Record<string, string> = {
  'auth.login': 'Sign-in',
  'access.denied': 'Access denied',
  'export.create': 'Export',
  'export.download': 'Export download',
  'import.create': 'Import upload',
  'import.apply': 'Import apply',
  'import.result': 'Import result',
  'import.undo': 'Import undo',
  'backup.create': 'Backup',
  'backup.download': 'Backup download',
  'backup.delete': 'Backup deletion',
  'backup.restore': 'Restore',
  'api-token.create': 'API token created',
  'api-token.revoke': 'API token revoked',
  'tenant.delete': 'Organisation deleted',
  'tenant.password': 'Organisation password set',
};

/** The Action filter's options: every action the API records (shared list), in words. */
export const ACTION_OPTIONS: readonly { value: AuditAction; label: string }[] = AUDIT_ACTIONS.map((value) => ({ value, label: ACTION_LABELS[value] }));

export function actionLabel(action: string): string {
  return (ACTION_LABELS as Record<string, string>)[action] ?? action;
}

/** Ids read better shortened (the cell's tooltip keeps the full JSON). */
const show = (value: unknown): string => {
  if (value === true) return 'yes';
  if (value === false) return 'no';
  const text = String(value);
  return UUID.test(text) ? `${text.slice(0, 8)}…` : text;
};

/**
 * What an entry's outcome meant to the user. An import's result says whether the bundle was
 * valid and how many errors it had, rather than only that the request went through.
 */
export function outcomeText(entry: AuditEntry): string {
  if (entry.action === 'import.result') {
    const p = entry.params;
    const errors = typeof p['errors'] === 'number' ? p['errors'] : 0;
    const dryRun = p['dryRun'] === true ? 'dry run' : 'import';
    if (p['valid'] === false) return `invalid (${dryRun}, ${plural(errors, 'error')})`;
    return `valid (${dryRun}${p['applied'] === true ? ', applied' : ''})`;
  }
  return entry.outcome;
}

/** The parameters as short `key value` pairs that wrap, instead of a cut-off line of JSON. */
export function paramPairs(params: Record<string, unknown> | null | undefined): { key: string; value: string }[] {
  return Object.entries(params ?? {})
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([key, v]) => ({ key, value: typeof v === 'object' ? JSON.stringify(v) : show(v) }));
}
