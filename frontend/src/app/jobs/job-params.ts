import type { JobView } from '@rythm/api-types';
import { roleLabel } from '../shared/text';

/** One line of a job's parameters, for people; `link` makes the value a link (another job, a backup). */
export interface ParamLine {
  label: string;
  value: string;
  link?: { path: string[]; query?: Record<string, string> };
}

const yesNo = (value: unknown): string => (value === true ? 'Yes' : value === false ? 'No' : String(value));

const SCOPES: Record<string, string> = { tenant: 'One tenant', global: 'Global data', full: 'Full system' };
const STRATEGIES: Record<string, string> = { replace: 'Replace', merge: 'Merge', skip: 'Skip existing' };

/**
 * A job's parameters as the API stores them, in words and in a fixed order. Keys the console does
 * not know are listed after the known ones, as they are, so that nothing is hidden.
 */
export function paramLines(job: JobView, tenantName: (id: string) => string): ParamLine[] {
  const p = job.params;
  const lines: ParamLine[] = [];
  const seen = new Set<string>();
  const add = (key: string, label: string, value: (v: unknown) => string, link?: (v: string) => ParamLine['link']): void => {
    seen.add(key);
    const v = p[key];
    if (v === undefined || v === null || v === '') return;
    lines.push({ label, value: value(v), link: link && typeof v === 'string' ? link(v) : undefined });
  };
  add('scope', 'Scope', (v) => SCOPES[String(v)] ?? String(v));
  add('tenantId', 'Tenant', (v) => tenantName(String(v)));
  add('targetTenantId', 'Target tenant', (v) => tenantName(String(v)));
  add('format', 'Format', (v) => String(v).toUpperCase());
  add('strategy', 'Strategy', (v) => STRATEGIES[String(v)] ?? String(v));
  add('dryRun', 'Dry run', yesNo);
  add('asNewTenant', 'As a new tenant', yesNo);
  add('newTenantName', 'New tenant name', String);
  add('newTenantSlug', 'New tenant slug', String);
  add('appliesJobId', 'Applies the dry run', String, (v) => ({ path: ['/jobs', v] }));
  add('undoesJobId', 'Undoes the job', String, (v) => ({ path: ['/jobs', v] }));
  add('changeSetId', 'Change set', String, (v) => ({ path: ['/backups'], query: { backup: v } }));
  add('force', 'Overwrite rows changed since', yesNo);
  add('backupId', 'Backup', String, (v) => ({ path: ['/backups'], query: { backup: v } }));
  add('kind', 'Backup kind', String);
  add('note', 'Note', String);
  add('compress', 'Compressed (gzip)', yesNo);
  add('include', 'Includes', (v) => {
    const inc = v as { users?: boolean; sessions?: boolean };
    return [inc.users === false ? 'no users' : 'users', inc.sessions === false ? 'no workout history' : 'workout history'].join(', ');
  });
  add('dateRange', 'Sessions between', (v) => {
    const r = v as { from?: string; to?: string };
    return `${r.from ?? 'the start'} and ${r.to ?? 'now'}`;
  });
  add('modifiedSince', 'Modified since', String);
  add('anonymize', 'Anonymised', yesNo);
  add('includeCredentials', 'Password hashes included', yesNo);
  add('actorRole', 'Started by', (v) => roleLabel(String(v)));
  seen.add('actorTenantId');
  for (const [key, v] of Object.entries(p)) {
    if (seen.has(key) || v === undefined || v === null) continue;
    lines.push({ label: key, value: typeof v === 'string' ? v : JSON.stringify(v) });
  }
  return lines;
}
