import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source.js';
import type { ExportRequest } from '../../shared/api-types.js';
import { domainTables } from '../domain-tables.js';
import type { TableSpec } from '../table-graph.js';
import { literal, manifestOptions, planExport, selectSql } from './export-plan.js';
import { normaliseExport } from './export-selection.js';

const TENANT = '11111111-2222-4333-8444-555555555555';
let tables: TableSpec[];
beforeAll(async () => {
  const dataSource = new DataSource(dataSourceOptions('postgres://unused@127.0.0.1:1/unused'));
  await (dataSource as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas();
  tables = domainTables(dataSource);
});

const plan = (request: Partial<ExportRequest>) =>
  planExport(tables, normaliseExport({ scope: 'tenant', tenantId: TENANT, format: 'json', ...request }), 'salt');
const names = (p: ReturnType<typeof plan>) => p.map((t) => t.spec.name);
const columns = (p: ReturnType<typeof plan>, table: string) => p.find((t) => t.spec.name === table)!.columns.map((c) => c.spec.name);

describe('planExport', () => {
  it('tenant scope takes every table in export order', () => {
    expect(names(plan({}))).toEqual([
      'tenants',
      'equipment',
      'exercises',
      'exercise_templates',
      'users',
      'programs',
      'workouts',
      'sessions',
      'sets',
      'program_assignments',
    ]);
  });

  it('global scope takes only global and shared tables, shared ones without a tenant', () => {
    const p = plan({ scope: 'global', tenantId: undefined });
    expect(names(p)).toEqual(['equipment', 'exercises', 'exercise_templates']);
    expect(p[1].where).toBe('"exercises"."tenant_id" IS NULL');
    expect(p[0].where).toBe('TRUE');
  });

  it('full scope has no row predicate at all', () => {
    expect(plan({ scope: 'full', tenantId: undefined }).every((t) => t.where === 'TRUE')).toBe(true);
  });

  it('include.users=false drops users and the tables that need them, and the nullable created_by column', () => {
    const p = plan({ include: { users: false } });
    expect(names(p)).toEqual(['tenants', 'equipment', 'exercises', 'exercise_templates', 'programs', 'workouts']);
    expect(columns(p, 'programs')).not.toContain('created_by');
  });

  it('include.sessions=false drops sessions and sets only', () => {
    expect(names(plan({ include: { sessions: false } }))).toEqual([
      'tenants',
      'equipment',
      'exercises',
      'exercise_templates',
      'users',
      'programs',
      'workouts',
      'program_assignments',
    ]);
  });

  it('password_hash only with includeCredentials', () => {
    expect(columns(plan({}), 'users')).not.toContain('password_hash');
    expect(columns(plan({ includeCredentials: true }), 'users')).toContain('password_hash');
  });

  it('anonymise replaces personal columns with expressions of the id and the salt', () => {
    const users = plan({ anonymize: true }).find((t) => t.spec.name === 'users')!;
    const email = users.columns.find((c) => c.spec.name === 'email')!.expression;
    expect(email).toContain(`md5('salt:email:' || "users"."id"::text)`);
    expect(email).not.toContain('"users"."email"');
    expect(selectSql(users)).toMatch(/ORDER BY "users"\."id"$/);
  });

  it('a date range filters sessions and makes sets follow them', () => {
    const p = plan({ dateRange: { from: '2026-07-01', to: '2026-08-01' } });
    const sessions = p.find((t) => t.spec.name === 'sessions')!.where;
    const sets = p.find((t) => t.spec.name === 'sets')!.where;
    expect(sessions).toContain(`"sessions"."started_at" >= '2026-07-01T00:00:00.000Z'`);
    expect(sessions).toContain(`"sessions"."started_at" < '2026-08-01T00:00:00.000Z'`);
    expect(sets).toContain(`"sets"."session_id" IN (SELECT "sessions"."id" FROM "sessions" WHERE`);
    expect(p.find((t) => t.spec.name === 'users')!.where).not.toContain('started_at');
  });

  it('modifiedSince applies to every table', () => {
    const p = plan({ modifiedSince: '2026-09-01T00:00:00Z' });
    for (const t of p) expect(t.where).toMatch(/"updated_at" > '2026-09-01T00:00:00\.000Z'$/);
  });

  it('records the options in the manifest, incremental when modifiedSince is set', () => {
    expect(manifestOptions(normaliseExport({ scope: 'full', format: 'sql', modifiedSince: '2026-09-01T00:00:00Z' }))).toEqual({
      include: { users: true, sessions: true },
      modifiedSince: '2026-09-01T00:00:00.000Z',
      incremental: true,
      anonymize: false,
      includeCredentials: false,
    });
  });

  it('quotes literals', () => {
    expect(literal("it's")).toBe("'it''s'");
  });
});
