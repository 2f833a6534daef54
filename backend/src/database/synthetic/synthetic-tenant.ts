import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { QueryRunner } from 'typeorm';
import { DEMO_EXERCISES } from '../seed/demo-library.js';
import { seedGlobalLibrary } from '../seed/demo-seed.js';
import { between, pick, prng, uuidFrom } from '../seed/deterministic.js';

export interface SyntheticSize {
  users: number;
  sessions: number;
  sets: number;
  programs: number;
}

/** Sizes from a set count, in the demo's proportions: 10 sets a session, 200 sessions a user. */
export function sizeForSets(sets: number): SyntheticSize {
  const sessions = Math.max(1, Math.round(sets / 10));
  return { sets, sessions, users: Math.max(3, Math.round(sessions / 200)), programs: Math.max(1, Math.min(40, Math.round(sessions / 2500) || 1)) };
}

const NOTES = ['Felt strong', 'Tired', '+2.5 kg next time', '-1 rep', '=PR!', '@coach form check', null, null, null, null];
const START = Date.UTC(2025, 0, 6, 6);

/** COPY text of one value (the generator's values never contain tabs, newlines or backslashes). */
const field = (value: string | number | null) => (value === null ? '\\N' : String(value));

async function copyRows(client: pg.PoolClient, table: string, columns: string[], rows: Iterable<(string | number | null)[]>): Promise<number> {
  let count = 0;
  // A generator source keeps memory flat: rows are produced as COPY asks for them.
  function* lines() {
    let batch = '';
    for (const row of rows) {
      batch += row.map(field).join('\t') + '\n';
      count++;
      if (batch.length > 1 << 16) {
        yield batch;
        batch = '';
      }
    }
    if (batch) yield batch;
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`)));
  return count;
}

/**
 * One synthetic tenant of the given size, written with COPY (fast, flat memory), deterministic
 * from `seed`: the same arguments always give the same rows and ids. The global library is
 * seeded first when the database has none.
 */
export async function generateSyntheticTenant(
  pool: pg.Pool,
  options: { seed: number; slug: string; name: string; size: SyntheticSize; passwordHash?: string | null },
  log: (message: string) => void = () => undefined,
): Promise<{ tenantId: string; rowCounts: Record<string, number> }> {
  const { seed, slug, size } = options;
  const id = (kind: string, n: number | string) => uuidFrom(`${seed}:${slug}:${kind}:${n}`);
  const rand = prng(seed);
  const at = (ms: number) => new Date(ms).toISOString();
  const created = at(START - 30 * 86400_000);
  const tenantId = id('tenant', 0);
  const client = await pool.connect();
  const counts: Record<string, number> = {};
  try {
    await client.query('BEGIN');
    // The rows are consistent by construction: skipping the per-row foreign-key triggers makes
    // COPY several times faster. Needs a superuser (embedded and CI servers are); else checked.
    await client.query('SAVEPOINT replication_role');
    await client.query(`SET LOCAL session_replication_role = replica`).catch(() => client.query('ROLLBACK TO SAVEPOINT replication_role'));
    const library = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM equipment`);
    if (library.rows[0].n === 0)
      await seedGlobalLibrary({ query: (sql: string, params?: unknown[]) => client.query(sql, params).then((r) => r.rows) } as unknown as QueryRunner, created);
    const exercises = (await client.query<{ id: string; category: string }>(`SELECT id, category FROM exercises WHERE tenant_id IS NULL ORDER BY id`)).rows;
    if (exercises.length < DEMO_EXERCISES.length / 2) throw new Error('the global exercise library is missing');
    await client.query(`INSERT INTO tenants (id, name, slug, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)`, [tenantId, options.name, slug, created]);
    counts.tenants = 1;

    const users = Array.from({ length: size.users }, (_, i) => {
      const role = i === 0 ? 'org_admin' : i % 20 === 1 ? 'coach' : 'athlete';
      return [
        id('user', i),
        tenantId,
        `${role.replace('_', '-')}${i}@${slug}.example`,
        options.passwordHash ?? null,
        pick(rand, ['Ava', 'Liam', 'Mia', 'Noah', 'Zoe', 'Omar']),
        `Person${i}`,
        role,
        created,
        created,
      ];
    });
    counts.users = await copyRows(
      client,
      'users',
      ['id', 'tenant_id', 'email', 'password_hash', 'first_name', 'last_name', 'role', 'created_at', 'updated_at'],
      users,
    );
    const coachIds = users.filter((u) => u[6] === 'coach').map((u) => u[0] as string);
    const athleteIds = users.filter((u) => u[6] === 'athlete').map((u) => u[0] as string);
    const athletes = athleteIds.length ? athleteIds : [users[0][0] as string];

    const programs = Array.from({ length: size.programs }, (_, i) => [
      id('program', i),
      tenantId,
      `Program ${i + 1}`,
      i % 3 ? `Block ${i + 1}` : null,
      4 + (i % 8),
      coachIds[i % Math.max(1, coachIds.length)] ?? null,
      created,
      created,
    ]);
    counts.programs = await copyRows(
      client,
      'programs',
      ['id', 'tenant_id', 'name', 'description', 'duration_weeks', 'created_by', 'created_at', 'updated_at'],
      programs,
    );
    const workouts = programs.flatMap((p, i) => [0, 1, 2].map((d) => [id('workout', `${i}:${d}`), tenantId, p[0], `Day ${'ABC'[d]}`, d, created, created]));
    counts.workouts = await copyRows(client, 'workouts', ['id', 'tenant_id', 'program_id', 'name', 'day_index', 'created_at', 'updated_at'], workouts);
    counts.program_assignments = await copyRows(
      client,
      'program_assignments',
      ['id', 'tenant_id', 'user_id', 'program_id', 'assigned_at', 'status', 'created_at', 'updated_at'],
      athletes.map((u, i) => [
        id('assignment', i),
        tenantId,
        u,
        programs[i % programs.length][0],
        created,
        i % 9 === 8 ? 'completed' : 'active',
        created,
        created,
      ]),
    );

    log(`copying ${size.sessions} sessions`);
    const sessionStart = (i: number) => START + Math.floor((i / size.sessions) * 365 * 86400_000);
    counts.sessions = await copyRows(
      client,
      'sessions',
      ['id', 'tenant_id', 'user_id', 'program_id', 'workout_id', 'started_at', 'completed_at', 'notes', 'created_at', 'updated_at'],
      (function* () {
        for (let i = 0; i < size.sessions; i++) {
          const p = i % programs.length;
          const start = sessionStart(i);
          yield [
            id('session', i),
            tenantId,
            athletes[i % athletes.length],
            programs[p][0],
            workouts[p * 3 + (i % 3)][0],
            at(start),
            at(start + between(rand, 40, 90) * 60_000),
            pick(rand, NOTES),
            at(start),
            at(start),
          ];
        }
      })(),
    );
    log(`copying ${size.sets} sets`);
    counts.sets = await copyRows(
      client,
      'sets',
      [
        'id',
        'tenant_id',
        'session_id',
        'exercise_id',
        'set_index',
        'reps',
        'weight_kg',
        'duration_s',
        'distance_m',
        'rpe',
        'notes',
        'created_at',
        'updated_at',
      ],
      (function* () {
        for (let i = 0; i < size.sets; i++) {
          const s = Math.floor((i * size.sessions) / size.sets);
          const exercise = exercises[between(rand, 0, exercises.length - 1)];
          const cardio = exercise.category === 'cardio';
          const stamp = at(sessionStart(s));
          yield [
            id('set', i),
            tenantId,
            id('session', s),
            exercise.id,
            i - Math.ceil((s * size.sets) / size.sessions),
            cardio ? null : between(rand, 1, 15),
            cardio ? null : (between(rand, 20, 400) / 2).toFixed(2),
            cardio ? between(rand, 60, 1800) : null,
            cardio ? (between(rand, 200, 10000) + 0.5).toFixed(2) : null,
            (between(rand, 10, 20) / 2).toFixed(1),
            rand() < 0.03 ? pick(rand, NOTES) : null,
            stamp,
            stamp,
          ];
        }
      })(),
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
  return { tenantId, rowCounts: counts };
}
