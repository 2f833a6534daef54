import { ASSIGNMENT_STATUSES } from '../../domain/program-assignment.entity.js';
import { USER_ROLES } from '../../domain/user.entity.js';
import { SLUG_PATTERN_SQL, SLUG_RULE, TENANT_NAME_MAX, TENANT_NAME_RULE } from '../../shared/patterns.js';

/**
 * Business rules checked on the staged rows (set-based), beyond the column types. Each `bad` is
 * an SQL predicate over the staged row that is true when the row breaks the rule; a rule is
 * skipped when the bundle leaves out one of its columns.
 */
export interface RowRule {
  table: string;
  field: string;
  columns: string[];
  bad: string;
  message: string;
}

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');
const nonNegative = (table: string, field: string): RowRule => ({ table, field, columns: [field], bad: `"${field}" < 0`, message: `must be zero or more` });

export const ROW_RULES: RowRule[] = [
  {
    table: 'sessions',
    field: 'completed_at',
    columns: ['started_at', 'completed_at'],
    bad: '"completed_at" < "started_at"',
    message: 'must not be before started_at',
  },
  nonNegative('sets', 'reps'),
  nonNegative('sets', 'weight_kg'),
  nonNegative('sets', 'duration_s'),
  nonNegative('sets', 'distance_m'),
  { table: 'sets', field: 'rpe', columns: ['rpe'], bad: '"rpe" < 0 OR "rpe" > 10', message: 'must be between 0 and 10' },
  {
    table: 'program_assignments',
    field: 'status',
    columns: ['status'],
    bad: `"status" NOT IN (${list(ASSIGNMENT_STATUSES)})`,
    message: `must be one of ${ASSIGNMENT_STATUSES.join(', ')}`,
  },
  { table: 'users', field: 'role', columns: ['role'], bad: `"role" NOT IN (${list(USER_ROLES)})`, message: `must be one of ${USER_ROLES.join(', ')}` },
  {
    table: 'users',
    field: 'tenant_id',
    columns: ['tenant_id', 'role'],
    bad: `"tenant_id" IS NULL AND "role" <> 'system_admin'`,
    message: 'may be null only for a system admin (platform operator)',
  },
  {
    // The schema refuses it too (ck_users_system_admin_no_tenant); checked here to report it.
    table: 'users',
    field: 'role',
    columns: ['tenant_id', 'role'],
    bad: `"role" = 'system_admin' AND "tenant_id" IS NOT NULL`,
    message: `expected ${USER_ROLES.filter((r) => r !== 'system_admin').join(', ')}: a system admin is a platform user with no tenant, so no tenant's user can be one`,
  },
  { table: 'tenants', field: 'slug', columns: ['slug'], bad: `"slug" !~ '${SLUG_PATTERN_SQL}'`, message: `expected ${SLUG_RULE}` },
  {
    table: 'tenants',
    field: 'name',
    columns: ['name'],
    bad: `btrim("name") = '' OR length("name") > ${TENANT_NAME_MAX} OR "name" ~ '[[:cntrl:]]'`,
    message: `expected ${TENANT_NAME_RULE}`,
  },
];

/**
 * Unique keys that must hold after the import (the unique indexes of the domain entities;
 * rules.spec.ts keeps this list in step with the entity metadata).
 */
export interface UniqueKey {
  table: string;
  columns: string[];
  /** Partial index: a predicate over `whereColumns` (unqualified). */
  where?: string;
  whereColumns?: string[];
  describe: string;
}

export const UNIQUE_KEYS: UniqueKey[] = [
  { table: 'tenants', columns: ['slug'], describe: 'slug' },
  { table: 'equipment', columns: ['name'], describe: 'equipment name' },
  { table: 'users', columns: ['tenant_id', 'email'], describe: 'email within the tenant' },
  { table: 'users', columns: ['email'], where: '"tenant_id" IS NULL', whereColumns: ['tenant_id'], describe: 'platform (system admin) email' },
];
