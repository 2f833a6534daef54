import { TransferError } from '../errors.js';
import { SLUG_PATTERN, SLUG_RULE } from '../../shared/patterns.js';
import { hasColumn, type ImportContext, q } from './import-context.js';
import type { StagedTable } from './staging.js';

/**
 * Import as a new tenant: every tenant-owned id in the staging tables gets a new UUID
 * (gen_random_uuid, in SQL) and every reference to it is rewritten, so one bundle loads many
 * times side by side. Global rows keep their ids (they are shared, not copied). The tenant row
 * gets the requested name and slug, or derived unique ones.
 */
export const IDMAP = q('imp_idmap');

export async function remapForClone(
  context: ImportContext,
  sourceTenantId: string,
  names: { name?: string | null; slug?: string | null; tagEmails?: boolean },
): Promise<string> {
  const { client } = context;
  const source = `'${sourceTenantId}'::uuid`;
  const ownedBy = (table: StagedTable, tenant: string) =>
    table.spec.ownership === 'root' ? `"id" = ${tenant}` : hasColumn(table, 'tenant_id') ? `"tenant_id" = ${tenant}` : 'FALSE';
  // One new id per distinct owned id of each table (a duplicate keeps its twin's, so validation
  // still sees it), built in one statement and indexed afterwards: inserting 1M rows into an
  // indexed map was a quarter of a clone's validation.
  const ids = context.staged.map((t) => `SELECT DISTINCT '${t.spec.name}'::text AS tbl, "id" AS old_id FROM ${t.stage} WHERE ${ownedBy(t, source)}`);
  await client.query(`CREATE TEMP TABLE ${IDMAP} AS SELECT tbl, old_id, gen_random_uuid() AS new_id FROM (${ids.join(' UNION ALL ')}) ids`);
  // The new ids' side is read too (the plan digest and the report map them back).
  await client.query(`CREATE UNIQUE INDEX ON ${IDMAP} ("new_id"); ANALYZE ${IDMAP}`);
  const tenants = context.staged.find((t) => t.spec.ownership === 'root')!;
  const { rows } = await client.query<{ new_id: string }>(`SELECT new_id FROM ${IDMAP} WHERE tbl = '${tenants.spec.name}' AND old_id = ${source}`);
  const newTenantId = rows[0].new_id;
  for (const table of context.staged) {
    const mapped = new Map<string, string>();
    if (hasColumn(table, 'id')) mapped.set('id', table.spec.name);
    for (const fk of table.spec.foreignKeys) if (hasColumn(table, fk.column)) mapped.set(fk.column, fk.references);
    // A new table joined to the map once per mapped column, each join reading only the map of the
    // table that column points to (a session's user_id: the users' few hundred ids, not every id).
    const joins: string[] = [];
    const select = table.columns.map((c) => {
      const references = mapped.get(c.name);
      if (!references) return `s.${q(c.name)}`;
      const m = q(`m_${joins.length}`);
      joins.push(`LEFT JOIN ${IDMAP} ${m} ON ${m}."tbl" = '${references}' AND ${m}."old_id" = s.${q(c.name)}`);
      return `coalesce(${m}."new_id", s.${q(c.name)}) AS ${q(c.name)}`;
    });
    const remapped = q(`imp_remapped_${table.spec.name}`);
    await client.query(`CREATE TEMP TABLE ${remapped} AS SELECT ${select.join(', ')} FROM ${table.stage} s ${joins.join(' ')}`);
    await client.query(`DROP TABLE ${table.stage}; ALTER TABLE ${remapped} RENAME TO ${table.stage}`);
    await client.query(`ANALYZE ${table.stage}`);
    // Every row owned: every id is a new random one, which no row of the database has.
    const { rows: kept } = await client.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${table.stage} WHERE ${ownedBy(table, `'${newTenantId}'::uuid`)} IS NOT TRUE) AS "any"`,
    );
    if (!kept[0].any) table.freshIds = true;
  }
  const { name, slug } = await newTenantNames(context, tenants.stage, names);
  await client.query(`UPDATE ${tenants.stage} SET "name" = $1, "slug" = $2`, [name, slug]);
  if (names.tagEmails) await tagEmails(context, slug);
  return newTenantId;
}

/** The longest address sign-in accepts (RFC 5321's path limit, the login form's). */
const EMAIL_MAX = 320;

/**
 * Gives every user of the clone an address of its own, so that clones of one bundle never share
 * one: `local@domain` becomes `local+<slug>@domain`, the tag going before the last `@` (an address
 * that already has a +tag keeps it: `a+x@d` → `a+x+<slug>@d`). An address without `@` is left as
 * it is. A tagged address longer than sign-in accepts is an error on users.email.
 */
async function tagEmails(context: ImportContext, slug: string): Promise<void> {
  const users = context.staged.find((t) => t.spec.name === 'users');
  if (!users || !hasColumn(users, 'email')) return;
  const tagged = `regexp_replace("email", '@([^@]*)$', '+' || $1::text || '@\\1')`;
  const { rows } = await context.client.query<{ id: string; email: string }>(
    `SELECT "id"::text AS id, "email" FROM ${users.stage} WHERE "email" LIKE '%@%' AND length(${tagged}) > ${EMAIL_MAX} ORDER BY "id" LIMIT 20`,
    [slug],
  );
  for (const row of rows) {
    context.errors.add({
      table: 'users',
      rowId: row.id,
      field: 'email',
      message: `tagged with the new tenant's slug (+${slug}) this address would be longer than ${EMAIL_MAX} characters: use a shorter slug`,
    });
  }
  await context.client.query(`UPDATE ${users.stage} SET "email" = ${tagged} WHERE "email" LIKE '%@%'`, [slug]);
}

/** The requested name and slug, or `<slug>-copy`, `<slug>-copy-2`... (first free) and a matching name. */
async function newTenantNames(context: ImportContext, stage: string, names: { name?: string | null; slug?: string | null }) {
  const { rows } = await context.client.query<{ name: string; slug: string }>(`SELECT "name", "slug" FROM ${stage} LIMIT 1`);
  const original = rows[0];
  if (names.slug && !SLUG_PATTERN.test(names.slug)) {
    throw new TransferError('BAD_REQUEST', `newTenantSlug: expected ${SLUG_RULE}`, { fields: [{ field: 'newTenantSlug', message: SLUG_RULE }] });
  }
  let slug = names.slug ?? null;
  let suffix = '';
  if (!slug) {
    const base = `${original.slug.slice(0, 50)}-copy`;
    const taken = await context.client.query<{ slug: string }>(`SELECT "slug" FROM "tenants" WHERE "slug" = $1 OR "slug" LIKE $2`, [base, `${base}-%`]);
    const used = new Set(taken.rows.map((r) => r.slug));
    let n = 1;
    while (used.has(n === 1 ? base : `${base}-${n}`)) n++;
    slug = n === 1 ? base : `${base}-${n}`;
    suffix = n === 1 ? ' (copy)' : ` (copy ${n})`;
  }
  const name = names.name?.trim() || `${original.name}${suffix || ' (copy)'}`;
  return { name, slug };
}

/**
 * The ids as the bundle wrote them, for the remapped ones among `ids`: a clone's errors name the
 * rows the user can find in their file, not the new ids, which change on every run.
 */
export async function bundleIdsOf(context: ImportContext, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await context.client.query<{ old_id: string; new_id: string }>(
    `SELECT old_id::text, new_id::text FROM ${IDMAP} WHERE new_id = ANY($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((r) => [r.new_id, r.old_id]));
}
