import type { DataSource, QueryRunner } from 'typeorm';
import { hashPassword } from '../../auth/password.js';
import { inTransaction } from '../../common/transaction.js';
import { DEMO_EQUIPMENT, DEMO_EXERCISES, DEMO_TEMPLATES } from './demo-library.js';
import { between, pick, prng, uuidFrom } from './deterministic.js';
import { insertRows } from './insert-rows.js';

export const DEMO_PASSWORD = 'rythm-demo';
export const DEMO_CREDENTIALS = [
  { role: 'system_admin', email: 'sysadmin@rythm.example', password: DEMO_PASSWORD, tenant: null },
  { role: 'org_admin', email: 'admin@northside.example', password: DEMO_PASSWORD, tenant: 'northside' },
  { role: 'org_admin', email: 'admin@harbor.example', password: DEMO_PASSWORD, tenant: 'harbor' },
  { role: 'coach', email: 'coach1@northside.example', password: DEMO_PASSWORD, tenant: 'northside' },
  { role: 'athlete', email: 'athlete1@northside.example', password: DEMO_PASSWORD, tenant: 'northside' },
] as const;

export const DEMO_TENANTS = [
  { slug: 'northside', name: 'Northside Strength', athletes: 14, coaches: 3 },
  { slug: 'harbor', name: 'Harbor CrossFit', athletes: 10, coaches: 2 },
] as const;

// Free text a coach might really type, including cells a spreadsheet would take for formulas.
const NOTES = [
  'Felt strong',
  'Tired today',
  '+5 kg next time',
  '-2 reps on the last set',
  '=great session',
  '@coach check my form',
  "'quoted' note",
  'Tab\tinside',
  'Line one\nline two',
  null,
  null,
  null,
];
const FIRST = ['Ava', 'Liam', 'Mia', 'Noah', 'Zoe', 'Ethan', 'Lena', 'Omar', 'Ines', 'Kai', 'Sara', 'Jonas', 'Maya', 'Leo', 'Nora', 'Theo', 'Ruth', 'Ivan'];
const LAST = ['Berg', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen', 'Khan', 'Lopez', 'Meyer', 'Novak', 'Okafor'];

/** The first Monday of the seeded history; fixed so that every seed is the same data. */
const HISTORY_START = Date.UTC(2026, 5, 1, 6, 0, 0);
const HISTORY_WEEKS = 13;

/**
 * Seeds the demo on first start: two tenants with a few months of training history, the global
 * library and the demo users. Idempotent: does nothing when the demo tenants exist.
 */
export async function seedDemo(dataSource: DataSource): Promise<{ seeded: boolean; rows: number }> {
  const existing: unknown[] = await dataSource.query(`SELECT 1 FROM tenants WHERE slug = $1`, [DEMO_TENANTS[0].slug]);
  if (existing.length > 0) return { seeded: false, rows: 0 };
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return inTransaction(dataSource, async (runner) => {
    // Another instance may be seeding at the same moment: the lock makes one of them wait and skip.
    await runner.query('SELECT pg_advisory_xact_lock(726339002)');
    const again: unknown[] = await runner.query(`SELECT 1 FROM tenants WHERE slug = $1`, [DEMO_TENANTS[0].slug]);
    if (again.length > 0) return { seeded: false, rows: 0 };
    const rows = await seedInto(runner, passwordHash);
    return { seeded: true, rows };
  });
}

/** The global library (equipment, exercises, templates) with ids derived from names. */
export async function seedGlobalLibrary(runner: QueryRunner, created: string) {
  await insertRows(
    runner,
    'equipment',
    DEMO_EQUIPMENT.map(([name, category]) => ({
      id: uuidFrom(`equipment:${name}`),
      name,
      category,
      description: `${name} (${category})`,
      created_at: created,
      updated_at: created,
    })),
  );
  const globalExercises = DEMO_EXERCISES.map(([name, category, muscles, equipment]) => ({
    id: uuidFrom(`exercise:${name}`),
    tenant_id: null,
    name,
    category,
    muscle_groups: muscles,
    equipment_id: equipment ? uuidFrom(`equipment:${equipment}`) : null,
    created_at: created,
    updated_at: created,
  }));
  await insertRows(runner, 'exercises', globalExercises);
  await insertRows(
    runner,
    'exercise_templates',
    DEMO_TEMPLATES.map(([name, exercise, sets, reps, weight]) => ({
      id: uuidFrom(`template:${name}`),
      tenant_id: null,
      name,
      exercise_id: uuidFrom(`exercise:${exercise}`),
      default_sets: sets,
      default_reps: reps,
      default_weight_kg: weight,
      created_at: created,
      updated_at: created,
    })),
  );
  return globalExercises;
}

async function seedInto(runner: QueryRunner, passwordHash: string): Promise<number> {
  const rand = prng(20261128);
  const at = (ms: number) => new Date(ms).toISOString();
  const created = at(HISTORY_START - 30 * 86400_000);
  let total = 0;
  const insert = async (table: string, rows: Record<string, unknown>[]) => {
    await insertRows(runner, table, rows);
    total += rows.length;
  };

  const globalExercises = await seedGlobalLibrary(runner, created);
  total += DEMO_EQUIPMENT.length + DEMO_EXERCISES.length + DEMO_TEMPLATES.length;
  await insert('users', [
    {
      id: uuidFrom('user:sysadmin'),
      tenant_id: null,
      email: 'sysadmin@rythm.example',
      password_hash: passwordHash,
      first_name: 'Sam',
      last_name: 'Operator',
      role: 'system_admin',
      created_at: created,
      updated_at: created,
    },
  ]);

  for (const tenant of DEMO_TENANTS) {
    const tenantId = uuidFrom(`tenant:${tenant.slug}`);
    const t = (name: string) => uuidFrom(`${tenant.slug}:${name}`);
    await insert('tenants', [{ id: tenantId, name: tenant.name, slug: tenant.slug, created_at: created, updated_at: created }]);

    const customExercises = ['Sled Push', 'Farmer Carry', `${tenant.name} Finisher`].map((name, i) => ({
      id: t(`exercise:${name}`),
      tenant_id: tenantId,
      name,
      category: 'custom',
      muscle_groups: i === 2 ? ['full body'] : ['legs', 'grip'],
      equipment_id: i === 1 ? uuidFrom('equipment:Kettlebell') : null,
      created_at: created,
      updated_at: created,
    }));
    await insert('exercises', customExercises);
    await insert('exercise_templates', [
      {
        id: t('template:carry'),
        tenant_id: tenantId,
        name: 'Carry medley',
        exercise_id: customExercises[1].id,
        default_sets: 4,
        default_reps: 1,
        default_weight_kg: '32.00',
        created_at: created,
        updated_at: created,
      },
    ]);

    const users: Record<string, unknown>[] = [];
    const person = (key: string, role: string, email: string) => {
      const row = {
        id: t(`user:${key}`),
        tenant_id: tenantId,
        email,
        password_hash: passwordHash,
        first_name: pick(rand, FIRST),
        last_name: pick(rand, LAST),
        role,
        created_at: created,
        updated_at: created,
      };
      users.push(row);
      return row;
    };
    person('admin', 'org_admin', `admin@${tenant.slug}.example`);
    const coaches = Array.from({ length: tenant.coaches }, (_, i) => person(`coach${i + 1}`, 'coach', `coach${i + 1}@${tenant.slug}.example`));
    const athletes = Array.from({ length: tenant.athletes }, (_, i) => person(`athlete${i + 1}`, 'athlete', `athlete${i + 1}@${tenant.slug}.example`));
    await insert('users', users);

    const exercisePool = [...globalExercises, ...customExercises];
    const programs = ['Foundations', 'Strength Block', 'Engine Builder', 'Hypertrophy'].map((name, i) => ({
      id: t(`program:${name}`),
      tenant_id: tenantId,
      name,
      description: i === 3 ? null : `${name} program of ${tenant.name}`,
      duration_weeks: 4 + i * 2,
      created_by: coaches[i % coaches.length].id,
      created_at: created,
      updated_at: created,
    }));
    await insert('programs', programs);
    const workouts = programs.flatMap((program) =>
      ['A', 'B', 'C'].map((day, i) => ({
        id: t(`workout:${program.name}:${day}`),
        tenant_id: tenantId,
        program_id: program.id,
        name: `Day ${day}`,
        day_index: i,
        created_at: created,
        updated_at: created,
      })),
    );
    await insert('workouts', workouts);

    const assignments = athletes.map((athlete, i) => ({
      id: t(`assignment:${i}`),
      tenant_id: tenantId,
      user_id: athlete.id,
      program_id: programs[i % programs.length].id,
      assigned_at: at(HISTORY_START - 86400_000),
      status: i % 7 === 6 ? 'completed' : 'active',
      created_at: created,
      updated_at: created,
    }));
    await insert('program_assignments', assignments);

    const sessions: Record<string, unknown>[] = [];
    const sets: Record<string, unknown>[] = [];
    athletes.forEach((athlete, a) => {
      const program = programs[a % programs.length];
      const programWorkouts = workouts.filter((w) => w.program_id === program.id);
      for (let week = 0; week < HISTORY_WEEKS; week++) {
        for (let day = 0; day < 3; day++) {
          if (rand() < 0.15) continue; // missed sessions happen
          const start = HISTORY_START + (week * 7 + day * 2) * 86400_000 + between(rand, 0, 12) * 3600_000;
          const sessionId = t(`session:${a}:${week}:${day}`);
          const open = week === HISTORY_WEEKS - 1 && day === 2;
          sessions.push({
            id: sessionId,
            tenant_id: tenantId,
            user_id: athlete.id,
            program_id: program.id,
            workout_id: programWorkouts[day].id,
            started_at: at(start),
            completed_at: open ? null : at(start + between(rand, 40, 90) * 60_000),
            notes: pick(rand, NOTES),
            created_at: at(start),
            updated_at: at(start),
          });
          const exerciseCount = between(rand, 3, 5);
          let setIndex = 0;
          for (let e = 0; e < exerciseCount; e++) {
            const exercise = pick(rand, exercisePool);
            const cardio = exercise.category === 'cardio';
            for (let s = 0; s < between(rand, 2, 4); s++) {
              sets.push({
                id: t(`set:${a}:${week}:${day}:${setIndex}`),
                tenant_id: tenantId,
                session_id: sessionId,
                exercise_id: exercise.id,
                set_index: setIndex++,
                reps: cardio ? null : between(rand, 3, 12),
                weight_kg: cardio || exercise.category === 'bodyweight' ? null : (between(rand, 40, 280) / 2).toFixed(2),
                duration_s: cardio ? between(rand, 90, 1500) : null,
                distance_m: cardio ? (between(rand, 400, 5000) + 0.25).toFixed(2) : null,
                rpe: (between(rand, 12, 20) / 2).toFixed(1),
                notes: rand() < 0.05 ? pick(rand, NOTES) : null,
                created_at: at(start),
                updated_at: at(start),
              });
            }
          }
        }
      }
    });
    await insert('sessions', sessions);
    await insert('sets', sets);
  }
  return total;
}
