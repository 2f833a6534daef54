/** Words for people: counts, table names, roles and addresses as the console writes them. */

/** "1 problem", "3 problems", "1,204 rows". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? singular : pluralForm}`;
}

const TABLE_NAMES: Record<string, string> = {
  tenants: 'Organisations',
  equipment: 'Equipment',
  exercises: 'Exercises',
  exercise_templates: 'Exercise templates',
  users: 'Users',
  programs: 'Programs',
  workouts: 'Workouts',
  sessions: 'Sessions',
  sets: 'Sets',
  program_assignments: 'Program assignments',
};

/** "Program assignments" for `program_assignments`; an unknown table gets the same treatment. */
export function tableLabel(table: string | null | undefined): string {
  if (!table) return '—';
  const known = TABLE_NAMES[table];
  if (known) return known;
  const words = table.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ROLE_NAMES: Record<string, string> = {
  org_admin: 'Organisation admin',
  system_admin: 'System admin',
  coach: 'Coach',
  athlete: 'Athlete',
};

export function roleLabel(role: string | null | undefined): string {
  if (!role) return '';
  return ROLE_NAMES[role] ?? role;
}

/** An IPv4 client seen through an IPv6 socket (`::ffff:127.0.0.1`) reads as the IPv4 address. */
export function clientAddress(ip: string | null | undefined): string {
  if (!ip) return '—';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  return mapped ? mapped[1] : ip;
}
