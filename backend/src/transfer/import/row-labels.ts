import { hasColumn, type ImportContext, q, stagedByName } from './import-context.js';
import type { StagedTable } from './staging.js';

/**
 * What a person recognises next to an id in a report (a user's name and email, a session's date
 * and athlete, a program's name). Labels are read from the staged rows, i.e. what the bundle
 * itself says; a referenced user or session is looked up in the bundle first, then in the target
 * tenant only, so a label never shows another tenant's data.
 */
type LabelSql = (context: ImportContext, table: StagedTable) => { select: string; joins: string } | null;

const name = (alias: string) => `nullif(concat_ws(' ', ${alias}."first_name", ${alias}."last_name"), '')`;

/** A person's name for the user `column` of `s`: from the bundle, else from the target tenant. */
function personJoin(context: ImportContext, column: string, key: string): { expr: string; joins: string } {
  const staged = stagedByName(context, 'users');
  const inBundle = staged && hasColumn(staged, 'first_name') ? `LEFT JOIN ${staged.stage} ${key}b ON ${key}b."id" = s.${q(column)}` : '';
  const inTenant = `LEFT JOIN "users" ${key}d ON ${key}d."id" = s.${q(column)} AND ${key}d."tenant_id" = s."tenant_id"`;
  return { expr: `coalesce(${inBundle ? `${name(`${key}b`)}, ` : ''}${name(`${key}d`)})`, joins: `${inBundle} ${inTenant}` };
}

const byName: LabelSql = (_c, t) => (hasColumn(t, 'name') ? { select: `s."name"`, joins: '' } : null);

const LABELS: Record<string, LabelSql> = {
  tenants: (_c, t) => (hasColumn(t, 'slug') ? { select: `s."name" || ' (' || s."slug" || ')'`, joins: '' } : null),
  equipment: byName,
  exercises: byName,
  exercise_templates: byName,
  programs: byName,
  workouts: byName,
  users: (_c, t) => (hasColumn(t, 'email') && hasColumn(t, 'first_name') ? { select: `${name('s')} || ' <' || s."email" || '>'`, joins: '' } : null),
  sessions: (c, t) => {
    if (!hasColumn(t, 'started_at')) return null;
    const person = personJoin(c, 'user_id', 'u');
    return { select: `to_char(s."started_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"') || coalesce(' · ' || ${person.expr}, '')`, joins: person.joins };
  },
  program_assignments: (c, t) => {
    if (!hasColumn(t, 'user_id')) return null;
    const person = personJoin(c, 'user_id', 'u');
    const programs = stagedByName(c, 'programs');
    const program = programs ? `LEFT JOIN ${programs.stage} pb ON pb."id" = s."program_id"` : '';
    return {
      select: `coalesce(${person.expr}, 'a user') || ' → ' || coalesce(${programs ? 'pb."name", ' : ''}pd."name", 'a program')`,
      joins: `${person.joins} ${program} LEFT JOIN "programs" pd ON pd."id" = s."program_id" AND pd."tenant_id" = s."tenant_id"`,
    };
  },
  sets: (c, t) => {
    if (!hasColumn(t, 'set_index')) return null;
    const sessions = stagedByName(c, 'sessions');
    const date = (alias: string) => `to_char(${alias}."started_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
    const inBundle = sessions && hasColumn(sessions, 'started_at') ? `LEFT JOIN ${sessions.stage} sb ON sb."id" = s."session_id"` : '';
    return {
      select: `'set ' || s."set_index" || coalesce(' of the session of ' || coalesce(${inBundle ? `${date('sb')}, ` : ''}${date('sd')}), '')`,
      joins: `${inBundle} LEFT JOIN "sessions" sd ON sd."id" = s."session_id" AND sd."tenant_id" = s."tenant_id"`,
    };
  },
};

/** Labels for the given ids per table; a table without a rule, or a failing query, gives none. */
export async function labelRows(context: ImportContext, ids: Map<string, Set<string>>): Promise<Record<string, Record<string, string>>> {
  const labels: Record<string, Record<string, string>> = {};
  for (const [tableName, wanted] of ids) {
    const table = stagedByName(context, tableName);
    const rule = LABELS[tableName];
    const sql = table && rule ? rule(context, table) : null;
    if (!table || !sql || wanted.size === 0) continue;
    // Labels are a courtesy: a query that fails must not abort the import's transaction.
    await context.client.query('SAVEPOINT rythm_labels');
    try {
      const { rows } = await context.client.query<{ id: string; label: string | null }>(
        `SELECT s."id"::text AS id, left(${sql.select}, 200) AS label FROM ${table.stage} s ${sql.joins} WHERE s."id" = ANY($1::uuid[])`,
        [[...wanted]],
      );
      await context.client.query('RELEASE SAVEPOINT rythm_labels');
      for (const row of rows) if (row.label) (labels[tableName] ??= {})[row.id] = row.label;
    } catch {
      await context.client.query('ROLLBACK TO SAVEPOINT rythm_labels');
    }
  }
  return labels;
}
