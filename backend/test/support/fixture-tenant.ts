import { uuidFrom } from '../../src/database/seed/deterministic.js';
import type { TableSpec } from '../../src/transfer/table-graph.js';
import { type LogicalBundle, manifestFor, type Row } from './bundle-builder.js';

/**
 * The base of the import corpus: a small tenant bundle in logical form (JSON values), with global
 * rows equal to the demo library's and one new global row. fixture-bundles.ts breaks it on purpose.
 */
export const FIXTURE_TENANT = uuidFrom('fixture:tenant');
export const NORTHSIDE = uuidFrom('tenant:northside');
export const HARBOR_PROGRAM = uuidFrom('harbor:program:Foundations');
const CREATED = '2026-05-02T06:00:00+00:00';
export const f = (name: string) => uuidFrom(`fixture:${name}`);
export const ids = {
  tenant: FIXTURE_TENANT,
  barbell: uuidFrom('equipment:Barbell'),
  sled: f('equipment:sled'),
  backSquat: uuidFrom('exercise:Back Squat'),
  drag: f('exercise:drag'),
  template: f('template:drag'),
  admin: f('user:admin'),
  athlete: f('user:athlete'),
  program: f('program'),
  workout: f('workout'),
  session1: f('session:1'),
  session2: f('session:2'),
  set1: f('set:1'),
  set2: f('set:2'),
  set3: f('set:3'),
  assignment: f('assignment'),
};

const TABLE_ORDER = ['tenants', 'equipment', 'exercises', 'exercise_templates', 'users', 'programs', 'workouts', 'sessions', 'sets', 'program_assignments'];

/** The base bundle: a tenant with two users and some history, exported without credentials. */
export function fixtureTenant(tables: TableSpec[]): LogicalBundle {
  const rows: Record<string, Row[]> = {
    tenants: [{ id: ids.tenant, name: 'Fixture Gym', slug: 'fixture-gym', created_at: CREATED, updated_at: CREATED }],
    equipment: [
      { id: ids.barbell, name: 'Barbell', category: 'free weights', description: 'Barbell (free weights)', created_at: CREATED, updated_at: CREATED },
      { id: ids.sled, name: 'Fixture Sled', category: 'conditioning', description: null, created_at: CREATED, updated_at: CREATED },
    ].sort(byId),
    exercises: [
      {
        id: ids.backSquat,
        tenant_id: null,
        name: 'Back Squat',
        category: 'strength',
        muscle_groups: ['quadriceps', 'glutes'],
        equipment_id: ids.barbell,
        created_at: CREATED,
        updated_at: CREATED,
      },
      {
        id: ids.drag,
        tenant_id: ids.tenant,
        name: 'Sled Drag',
        category: 'custom',
        muscle_groups: ['legs', 'full body', '{odd} "one"'],
        equipment_id: ids.sled,
        created_at: CREATED,
        updated_at: CREATED,
      },
    ].sort(byId),
    exercise_templates: [
      {
        id: ids.template,
        tenant_id: ids.tenant,
        name: 'Drag medley',
        exercise_id: ids.drag,
        default_sets: 4,
        default_reps: 1,
        default_weight_kg: '32.00',
        created_at: CREATED,
        updated_at: CREATED,
      },
    ],
    users: [
      {
        id: ids.admin,
        tenant_id: ids.tenant,
        email: 'admin@fixture.example',
        first_name: 'Ada',
        last_name: 'Admin',
        role: 'org_admin',
        created_at: CREATED,
        updated_at: CREATED,
      },
      {
        id: ids.athlete,
        tenant_id: ids.tenant,
        email: 'athlete@fixture.example',
        first_name: 'Ath',
        last_name: "O'Lete",
        role: 'athlete',
        created_at: CREATED,
        updated_at: CREATED,
      },
    ].sort(byId),
    programs: [
      {
        id: ids.program,
        tenant_id: ids.tenant,
        name: 'Base',
        description: 'A program, "quoted"',
        duration_weeks: 6,
        created_by: ids.admin,
        created_at: CREATED,
        updated_at: CREATED,
      },
    ],
    workouts: [{ id: ids.workout, tenant_id: ids.tenant, program_id: ids.program, name: 'Day A', day_index: 0, created_at: CREATED, updated_at: CREATED }],
    sessions: [
      {
        id: ids.session1,
        tenant_id: ids.tenant,
        user_id: ids.athlete,
        program_id: ids.program,
        workout_id: ids.workout,
        started_at: '2026-06-01T06:00:00+00:00',
        completed_at: '2026-06-01T07:00:00.25+00:00',
        notes: '=1+1\tand a tab',
        created_at: CREATED,
        updated_at: CREATED,
      },
      {
        id: ids.session2,
        tenant_id: ids.tenant,
        user_id: ids.athlete,
        program_id: null,
        workout_id: null,
        started_at: '2026-06-03T06:00:00+00:00',
        completed_at: null,
        notes: 'Line one\nline two',
        created_at: CREATED,
        updated_at: CREATED,
      },
    ].sort(byId),
    sets: [
      {
        id: ids.set1,
        tenant_id: ids.tenant,
        session_id: ids.session1,
        exercise_id: ids.backSquat,
        set_index: 0,
        reps: 5,
        weight_kg: '102.50',
        duration_s: null,
        distance_m: null,
        rpe: '8.5',
        notes: "'quoted' note",
        created_at: CREATED,
        updated_at: CREATED,
      },
      {
        id: ids.set2,
        tenant_id: ids.tenant,
        session_id: ids.session1,
        exercise_id: ids.drag,
        set_index: 1,
        reps: null,
        weight_kg: null,
        duration_s: 90,
        distance_m: '40.25',
        rpe: '9.0',
        notes: '',
        created_at: CREATED,
        updated_at: CREATED,
      },
      {
        id: ids.set3,
        tenant_id: ids.tenant,
        session_id: ids.session2,
        exercise_id: ids.backSquat,
        set_index: 0,
        reps: 3,
        weight_kg: '0.00',
        duration_s: null,
        distance_m: null,
        rpe: null,
        notes: '-2 reps, @coach',
        created_at: CREATED,
        updated_at: CREATED,
      },
    ].sort(byId),
    program_assignments: [
      {
        id: ids.assignment,
        tenant_id: ids.tenant,
        user_id: ids.athlete,
        program_id: ids.program,
        assigned_at: '2026-05-31T06:00:00+00:00',
        status: 'active',
        created_at: CREATED,
        updated_at: CREATED,
      },
    ],
  };
  return bundleOf('tenant', tables, rows, { tenantId: ids.tenant, tenantSlug: 'fixture-gym' }, { users: ['password_hash'] });
}

function byId(a: Row, b: Row): number {
  return String(a.id) < String(b.id) ? -1 : 1;
}

export function bundleOf(
  scope: 'tenant' | 'global' | 'full',
  tables: TableSpec[],
  rows: Record<string, Row[]>,
  source: { tenantId?: string; tenantSlug?: string } = {},
  leaveOut: Record<string, string[]> = {},
): LogicalBundle {
  const specs = TABLE_ORDER.filter((t) => rows[t]).map((t) => tables.find((s) => s.name === t)!);
  const manifest = manifestFor(
    scope,
    specs.map((s) => ({ name: s.name, columns: s.columns.map((c) => c.name).filter((c) => !(leaveOut[s.name] ?? []).includes(c)) })),
    source,
  );
  const types = Object.fromEntries(specs.map((s) => [s.name, Object.fromEntries(s.columns.map((c) => [c.name, c.type]))]));
  return { manifest, rows, types };
}
