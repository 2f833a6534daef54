/**
 * How each RYTHM table and column moves. Adding an entity or a column without classifying it
 * here fails `table-graph.spec.ts`: nothing reaches a bundle by accident.
 */
export type Ownership =
  /** tenants: the tenant row itself. */
  | 'root'
  /** Global only (equipment). */
  | 'global'
  /** Global when tenant_id is null, else owned by that tenant (exercises, templates). */
  | 'shared'
  /** Owned by a tenant (users may have a null tenant: platform operators, full scope only). */
  | 'tenant';

export type ColumnPolicy =
  | 'copy'
  /** Replaced when anonymising; the kind decides the fake value. */
  | 'anonymise-email'
  | 'anonymise-first-name'
  | 'anonymise-last-name'
  | 'anonymise-text'
  /** Only with includeCredentials (system admins, backups). */
  | 'credential';

export interface TablePolicy {
  ownership: Ownership;
  columns: Record<string, ColumnPolicy>;
}

const TIMESTAMPS = { created_at: 'copy', updated_at: 'copy' } as const;

export const TABLE_POLICIES: Record<string, TablePolicy> = {
  tenants: { ownership: 'root', columns: { id: 'copy', name: 'copy', slug: 'copy', ...TIMESTAMPS } },
  equipment: { ownership: 'global', columns: { id: 'copy', name: 'copy', category: 'copy', description: 'copy', ...TIMESTAMPS } },
  exercises: {
    ownership: 'shared',
    columns: { id: 'copy', tenant_id: 'copy', name: 'copy', category: 'copy', muscle_groups: 'copy', equipment_id: 'copy', ...TIMESTAMPS },
  },
  exercise_templates: {
    ownership: 'shared',
    columns: {
      id: 'copy',
      tenant_id: 'copy',
      name: 'copy',
      exercise_id: 'copy',
      default_sets: 'copy',
      default_reps: 'copy',
      default_weight_kg: 'copy',
      ...TIMESTAMPS,
    },
  },
  users: {
    ownership: 'tenant',
    columns: {
      id: 'copy',
      tenant_id: 'copy',
      email: 'anonymise-email',
      password_hash: 'credential',
      first_name: 'anonymise-first-name',
      last_name: 'anonymise-last-name',
      role: 'copy',
      ...TIMESTAMPS,
    },
  },
  programs: {
    ownership: 'tenant',
    columns: { id: 'copy', tenant_id: 'copy', name: 'copy', description: 'copy', duration_weeks: 'copy', created_by: 'copy', ...TIMESTAMPS },
  },
  workouts: { ownership: 'tenant', columns: { id: 'copy', tenant_id: 'copy', program_id: 'copy', name: 'copy', day_index: 'copy', ...TIMESTAMPS } },
  sessions: {
    ownership: 'tenant',
    columns: {
      id: 'copy',
      tenant_id: 'copy',
      user_id: 'copy',
      program_id: 'copy',
      workout_id: 'copy',
      started_at: 'copy',
      completed_at: 'copy',
      notes: 'anonymise-text',
      ...TIMESTAMPS,
    },
  },
  sets: {
    ownership: 'tenant',
    columns: {
      id: 'copy',
      tenant_id: 'copy',
      session_id: 'copy',
      exercise_id: 'copy',
      set_index: 'copy',
      reps: 'copy',
      weight_kg: 'copy',
      duration_s: 'copy',
      distance_m: 'copy',
      rpe: 'copy',
      notes: 'anonymise-text',
      ...TIMESTAMPS,
    },
  },
  program_assignments: {
    ownership: 'tenant',
    columns: { id: 'copy', tenant_id: 'copy', user_id: 'copy', program_id: 'copy', assigned_at: 'copy', status: 'copy', ...TIMESTAMPS },
  },
};
