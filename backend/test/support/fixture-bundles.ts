import type { BundleError, ImportStrategy, TablePlan } from '../../src/shared/api-types.js';
import type { TableSpec } from '../../src/transfer/table-graph.js';
import { csvFiles, encodeCsvZip, encodeJson, encodeSql, gzip, type LogicalBundle, zipOf } from './bundle-builder.js';
import { bundleOf, f, fixtureTenant, HARBOR_PROGRAM, ids, NORTHSIDE } from './fixture-tenant.js';

/**
 * The import corpus (test/fixtures/import): the fixture tenant, and one deliberately broken
 * variant per kind of bad input, each with the outcome it must produce. make-import-fixtures
 * writes them; import-corpus.integration-spec loads them into the demo database.
 */
export { fixtureTenant, NORTHSIDE };
const CREATED = '2026-05-02T06:00:00+00:00';

const clone = (bundle: LogicalBundle): LogicalBundle => JSON.parse(JSON.stringify(bundle)) as LogicalBundle;
const rowOf = (bundle: LogicalBundle, table: string, id: string) => bundle.rows[table].find((r) => r.id === id)!;

export type Actor = 'system-admin' | 'northside-admin';

/**
 * Text that must come back exactly, in every format (ok/text-edge-cases.*): a surrogate pair (in the
 * JSON written as an escape), real U+FFFD and U+FEFF, C0 controls, the JSON-only line separators,
 * and digits too long for a double, all inside one text column.
 */
export const EDGE_TEXT = 'pair 😀, U+FFFD \ufffd, U+FEFF \ufeff, controls \u0001\u001f\u007f, separators \u2028\u2029, digits 123456789012345678901234567890';
export const EDGE_NAME = 'Ölëté 😀 \ud834\udd1e';

export interface ExpectedOutcome {
  /** Who sends it, and how. */
  actor: Actor;
  scope?: 'tenant' | 'global' | 'full';
  strategy: ImportStrategy;
  targetTenantId?: string;
  /** null: valid. */
  code: 'INVALID_BUNDLE' | 'VALIDATION_FAILED' | null;
  /** Each must appear in the report (message: a substring). */
  errors: BundleError[];
  plan?: TablePlan[];
  description: string;
}

export interface Fixture {
  dir: 'ok' | 'not-ok';
  name: string;
  data: Buffer;
  expected: ExpectedOutcome;
}

const err = (table: string | null, rowId: string | null, field: string | null, message: string): BundleError => ({ table, rowId, field, message });

/** Every committed fixture (bombs are made at test time: see import-corpus.integration-spec). */
export function allFixtures(tables: TableSpec[]): Fixture[] {
  const base = fixtureTenant(tables);
  const okPlan: TablePlan[] = [
    { table: 'tenants', insert: 1, update: 0, unchanged: 0, delete: 0, skip: 0 },
    { table: 'equipment', insert: 1, update: 0, unchanged: 1, delete: 0, skip: 0 },
    { table: 'exercises', insert: 1, update: 0, unchanged: 1, delete: 0, skip: 0 },
    { table: 'exercise_templates', insert: 1, update: 0, unchanged: 0, delete: 0, skip: 0 },
    { table: 'users', insert: 2, update: 0, unchanged: 0, delete: 0, skip: 0 },
    { table: 'programs', insert: 1, update: 0, unchanged: 0, delete: 0, skip: 0 },
    { table: 'workouts', insert: 1, update: 0, unchanged: 0, delete: 0, skip: 0 },
    { table: 'sessions', insert: 2, update: 0, unchanged: 0, delete: 0, skip: 0 },
    { table: 'sets', insert: 3, update: 0, unchanged: 0, delete: 0, skip: 0 },
    { table: 'program_assignments', insert: 1, update: 0, unchanged: 0, delete: 0, skip: 0 },
  ];
  const ok = (name: string, data: Buffer, description: string): Fixture => ({
    dir: 'ok',
    name,
    data,
    expected: { actor: 'system-admin', strategy: 'merge', code: null, errors: [], plan: okPlan, description },
  });
  const bad = (
    name: string,
    data: Buffer,
    expected: Omit<ExpectedOutcome, 'actor' | 'strategy'> & Partial<Pick<ExpectedOutcome, 'actor' | 'strategy'>>,
  ): Fixture => ({
    dir: 'not-ok',
    name,
    data,
    expected: { actor: 'system-admin', strategy: 'merge', ...expected },
  });
  const json = encodeJson(base);
  const edge = clone(base);
  rowOf(edge, 'programs', ids.program).description = EDGE_TEXT;
  rowOf(edge, 'users', ids.athlete).last_name = EDGE_NAME;
  const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
  // The pair written as an escape, in capitals: the row goes the tokenizer path.
  const edgeJson = encodeJson(edge).toString('utf8').replace('pair 😀', 'pair \\uD83D\\uDE00');
  const fixtures: Fixture[] = [
    ok('fixture-tenant.json', json, 'a small tenant bundle (JSON); global rows equal to the demo library are unchanged, the new one is added'),
    ok('fixture-tenant.json.gz', gzip(json), 'the same, gzip'),
    ok('fixture-tenant.sql', encodeSql(base), 'the same, SQL'),
    ok('fixture-tenant.sql.gz', gzip(encodeSql(base)), 'the same, SQL gzip'),
    ok('fixture-tenant.zip', encodeCsvZip(base), 'the same, CSV zip'),
    ok('text-edge-cases.json', Buffer.concat([BOM, Buffer.from(edgeJson)]), 'text that must be stored exactly (EDGE_TEXT, EDGE_NAME), after a byte-order mark'),
    ok('text-edge-cases.sql', Buffer.concat([BOM, encodeSql(edge)]), 'the same, SQL'),
    ok('text-edge-cases.zip', encodeCsvZip(edge), 'the same, CSV zip'),
  ];

  const truncated = gzip(json);
  fixtures.push(
    bad('truncated.json.gz', truncated.subarray(0, Math.floor(truncated.length / 2)), {
      code: 'INVALID_BUNDLE',
      errors: [err(null, null, null, 'gzip data is truncated or corrupt')],
      description: 'a gzip file cut in half',
    }),
  );

  const jsonLines = json.toString('utf8').split('\n');
  const setLine = jsonLines.findIndex((l) => l.startsWith(`{"id":"${String(base.rows.sets[0].id)}"`));
  const malformed = [...jsonLines];
  malformed[setLine] = malformed[setLine].replace(/,$/, '');
  fixtures.push(
    bad('malformed.json', Buffer.from(malformed.join('\n')), {
      code: 'INVALID_BUNDLE',
      errors: [err('sets', null, null, `line ${setLine + 2}: malformed JSON`)],
      description: 'a missing comma between two rows',
    }),
  );

  const wrongType = clone(base);
  rowOf(wrongType, 'sets', ids.set1).reps = 'ten';
  rowOf(wrongType, 'sessions', ids.session2).started_at = '2026-02-30T06:00:00+00:00';
  fixtures.push(
    bad('wrong-type.json', encodeJson(wrongType), {
      code: 'VALIDATION_FAILED',
      errors: [err('sets', ids.set1, 'reps', 'expected a whole number'), err('sessions', ids.session2, 'started_at', 'that date or time does not exist')],
      description: 'a string where an integer belongs, and a 30 February',
    }),
  );

  const unknownTable = clone(base);
  unknownTable.manifest.tables.push({ name: 'payments', columns: ['id', 'amount'] });
  unknownTable.rows.payments = [{ id: f('payment'), amount: '10.00' }];
  fixtures.push(
    bad('unknown-table.json', encodeJson(unknownTable), {
      code: 'INVALID_BUNDLE',
      errors: [err('payments', null, null, 'unknown table "payments"')],
      description: 'a table this server does not have',
    }),
  );

  const unknownColumn = clone(base);
  unknownColumn.manifest.tables.find((t) => t.name === 'users')!.columns.push('shoe_size');
  for (const user of unknownColumn.rows.users) user.shoe_size = 44;
  fixtures.push(
    bad('unknown-column.json', encodeJson(unknownColumn), {
      code: 'INVALID_BUNDLE',
      errors: [err('users', null, 'shoe_size', 'unknown column "shoe_size"')],
      description: 'a column this server does not have',
    }),
  );

  const duplicate = clone(base);
  duplicate.rows.sets[1].id = duplicate.rows.sets[0].id;
  fixtures.push(
    bad('duplicate-id.json', encodeJson(duplicate), {
      code: 'VALIDATION_FAILED',
      errors: [err('sets', String(duplicate.rows.sets[0].id), 'id', 'appears 2 times')],
      description: 'two sets with one id',
    }),
  );

  const missing = clone(base);
  rowOf(missing, 'sets', ids.set3).session_id = f('nowhere');
  fixtures.push(
    bad('missing-reference.json', encodeJson(missing), {
      code: 'VALIDATION_FAILED',
      errors: [err('sets', ids.set3, 'session_id', 'neither in the bundle nor in the database')],
      description: 'a set whose session exists nowhere',
    }),
  );

  const foreign = clone(base);
  rowOf(foreign, 'programs', ids.program).id = HARBOR_PROGRAM;
  for (const table of ['workouts', 'sessions', 'program_assignments'])
    for (const row of foreign.rows[table]) if (row.program_id === ids.program) row.program_id = HARBOR_PROGRAM;
  fixtures.push(
    bad('foreign-row-id.json', encodeJson(foreign), {
      code: 'VALIDATION_FAILED',
      errors: [err('programs', HARBOR_PROGRAM, 'id', 'already belongs to another tenant')],
      description: "a program whose id is one of the harbor tenant's programs",
    }),
  );

  fixtures.push(
    bad('other-tenant.json', json, {
      actor: 'northside-admin',
      targetTenantId: NORTHSIDE,
      code: 'VALIDATION_FAILED',
      errors: [err('tenants', ids.tenant, 'id', 'not the target tenant')],
      description: "the fixture tenant's bundle sent by northside's org admin",
    }),
  );

  const tampered = clone(base);
  const honest = JSON.parse(encodeJson(base).toString('utf8').split('\n').at(-2)!.slice('"summary":'.length, -1)) as LogicalBundle['summary'];
  tampered.summary = honest;
  rowOf(tampered, 'sets', ids.set1).weight_kg = '502.50';
  fixtures.push(
    bad('checksum-mismatch.json', encodeJson(tampered), {
      code: 'INVALID_BUNDLE',
      errors: [err(null, null, 'summary.sha256', 'does not match')],
      description: 'a weight changed after export',
    }),
  );

  const countMismatch = clone(base);
  countMismatch.summary = { ...honest!, rowCounts: { ...honest!.rowCounts, sets: 4 } };
  fixtures.push(
    bad('row-count-mismatch.json', encodeJson(countMismatch), {
      code: 'INVALID_BUNDLE',
      errors: [err('sets', null, 'summary.rowCounts', 'says 4 rows of sets')],
      description: 'the summary counts a row that is not there',
    }),
  );

  const newer = clone(base);
  newer.manifest.schemaVersion = 'FutureSchema9999999999999';
  fixtures.push(
    bad('newer-schema.json', encodeJson(newer), {
      code: 'INVALID_BUNDLE',
      errors: [err(null, null, 'manifest.schemaVersion', 'is newer than this server')],
      description: 'a bundle from a newer schema',
    }),
  );

  const sql = encodeSql(base, { after: 'users', lines: ['DROP TABLE users;'] });
  const dropLine = sql.toString('utf8').split('\n').indexOf('DROP TABLE users;') + 1;
  fixtures.push(
    bad('extra-statement.sql', sql, {
      code: 'INVALID_BUNDLE',
      errors: [err('users', null, null, `line ${dropLine}: expected COPY`)],
      description: 'an SQL bundle with a DROP TABLE between the COPY blocks',
    }),
  );

  // The row is written (and hashed) with a field missing: only the row check can catch it.
  const shortSql = encodeSql(base, null, (line) => (line.startsWith(ids.set1) ? line.split('\t').slice(0, -1).join('\t') : line));
  const shortLine =
    shortSql
      .toString('utf8')
      .split('\n')
      .findIndex((l) => l.startsWith(ids.set1)) + 1;
  fixtures.push(
    bad('wrong-field-count.sql', shortSql, {
      code: 'VALIDATION_FAILED',
      errors: [err('sets', ids.set1, null, `line ${shortLine}: expected 13 tab-separated fields`)],
      description: 'a COPY line with a field missing',
    }),
  );

  const firstUser = String(base.rows.users[0].id);
  const protoText = json.toString('utf8').replace(`{"id":"${firstUser}",`, `{"id":"${firstUser}","__proto__":{"isAdmin":true},`);
  fixtures.push(
    bad('proto-key.json', Buffer.from(protoText), {
      code: 'INVALID_BUNDLE',
      errors: [err(null, null, null, '"__proto__" is not allowed')],
      description: 'a __proto__ key inside a row',
    }),
  );
  const constructorText = json.toString('utf8').replace('"manifest":{"format"', '"manifest":{"constructor":{"prototype":1},"format"');
  fixtures.push(
    bad('constructor-key.json', Buffer.from(constructorText), {
      code: 'INVALID_BUNDLE',
      errors: [err(null, null, null, '"constructor" is not allowed')],
      description: 'a constructor key in the manifest',
    }),
  );

  const rules = clone(base);
  rowOf(rules, 'sets', ids.set1).rpe = '11.0';
  rowOf(rules, 'sets', ids.set3).reps = -1;
  rowOf(rules, 'sessions', ids.session1).completed_at = '2026-06-01T05:00:00+00:00';
  rowOf(rules, 'program_assignments', ids.assignment).status = 'paused';
  rowOf(rules, 'users', ids.athlete).role = 'superuser';
  fixtures.push(
    bad('business-rules.json', encodeJson(rules), {
      code: 'VALIDATION_FAILED',
      errors: [
        err('sets', ids.set1, 'rpe', 'between 0 and 10'),
        err('sets', ids.set3, 'reps', 'zero or more'),
        err('sessions', ids.session1, 'completed_at', 'not be before started_at'),
        err('program_assignments', ids.assignment, 'status', 'must be one of active, completed, cancelled'),
        err('users', ids.athlete, 'role', 'must be one of'),
      ],
      description: 'rpe 11, negative reps, a session that ends before it starts, unknown status and role',
    }),
  );

  const notNull = clone(base);
  rowOf(notNull, 'users', ids.admin).first_name = null;
  fixtures.push(
    bad('not-null.json', encodeJson(notNull), {
      code: 'VALIDATION_FAILED',
      errors: [err('users', ids.admin, 'first_name', 'is required')],
      description: 'null in a NOT NULL column',
    }),
  );

  const sameEmail = clone(base);
  rowOf(sameEmail, 'users', ids.athlete).email = 'admin@fixture.example';
  fixtures.push(
    bad('duplicate-email.json', encodeJson(sameEmail), {
      code: 'VALIDATION_FAILED',
      errors: [err('users', ids.athlete, 'email', 'would be used twice')],
      description: 'two users of one tenant with one email',
    }),
  );

  // An org admin's own tenant bundle that brings a global row this environment does not have.
  const northsideGlobal = bundleOf(
    'tenant',
    tables,
    {
      tenants: [{ id: NORTHSIDE, name: 'Northside Strength', slug: 'northside', created_at: CREATED, updated_at: CREATED }],
      equipment: [{ id: ids.sled, name: 'Fixture Sled', category: 'conditioning', description: null, created_at: CREATED, updated_at: CREATED }],
      exercises: [
        {
          id: f('exercise:northside-drag'),
          tenant_id: NORTHSIDE,
          name: 'Northside Drag',
          category: 'custom',
          muscle_groups: [],
          equipment_id: ids.sled,
          created_at: CREATED,
          updated_at: CREATED,
        },
      ],
    },
    { tenantId: NORTHSIDE, tenantSlug: 'northside' },
  );
  fixtures.push(
    bad('org-admin-global-row.json', encodeJson(northsideGlobal), {
      actor: 'northside-admin',
      targetTenantId: NORTHSIDE,
      code: 'VALIDATION_FAILED',
      errors: [err('equipment', ids.sled, 'id', 'org admins cannot add global data')],
      description: "northside's org admin imports a bundle that needs a global row missing here",
    }),
  );

  const csv = csvFiles(base);
  fixtures.push(
    bad('path-traversal.zip', zipOf([csv[0], { name: '../tenants.csv', data: csv[1].data }, ...csv.slice(2)]), {
      code: 'INVALID_BUNDLE',
      errors: [err(null, null, null, 'invalid relative path')],
      description: 'a zip entry named ../tenants.csv',
    }),
  );
  fixtures.push(
    bad('absolute-path.zip', zipOf([csv[0], { name: '/etc/tenants.csv', data: csv[1].data }, ...csv.slice(2)]), {
      code: 'INVALID_BUNDLE',
      errors: [err(null, null, null, 'absolute path')],
      description: 'a zip entry with an absolute name',
    }),
  );
  fixtures.push(
    bad('extra-entry.zip', zipOf([...csv, { name: 'notes.txt', data: Buffer.from('hello') }]), {
      code: 'INVALID_BUNDLE',
      errors: [err(null, null, null, 'The zip has 13 entries')],
      description: 'a zip with one entry more than the manifest allows',
    }),
  );
  // Bad text (issue 11). Each lone surrogate is in another column and another path of the JSON
  // reader: written by JSON.stringify (lower-case escapes, JSON.parse fast path) or in capitals
  // (the tokenizer path); each must be refused with its row, field and line, as NUL is.
  const textLine = (text: string, id: string) => text.split('\n').findIndex((l) => l.startsWith(`{"id":"${id}"`)) + 1;
  const loneHigh = clone(base);
  rowOf(loneHigh, 'users', ids.admin).first_name = 'Ada\udada';
  const loneHighJson = encodeJson(loneHigh);
  fixtures.push(
    bad('lone-high-surrogate.json', loneHighJson, {
      code: 'VALIDATION_FAILED',
      errors: [
        err(
          'users',
          ids.admin,
          'first_name',
          `line ${textLine(loneHighJson.toString('utf8'), ids.admin)}: text must not contain a lone surrogate \\udada at character 4`,
        ),
      ],
      description: 'a high surrogate escape with no low one after it ("\\udada"), which would have been stored as U+FFFD',
    }),
  );
  const loneLow = clone(base);
  rowOf(loneLow, 'sessions', ids.session2).notes = 'Line one\nline \ude00';
  const loneLowJson = encodeJson(loneLow);
  fixtures.push(
    bad('lone-low-surrogate.json', loneLowJson, {
      code: 'VALIDATION_FAILED',
      errors: [
        err(
          'sessions',
          ids.session2,
          'notes',
          `line ${textLine(loneLowJson.toString('utf8'), ids.session2)}: text must not contain a lone surrogate \\ude00 at character 15`,
        ),
      ],
      description: 'a low surrogate escape with no high one before it',
    }),
  );
  const reversed = clone(base);
  rowOf(reversed, 'programs', ids.program).description = 'A program \ude00\ud83d';
  const reversedText = encodeJson(reversed).toString('utf8').replace('\\ude00\\ud83d', '\\uDE00\\uD83D');
  fixtures.push(
    bad('reversed-surrogate-pair.json', Buffer.from(reversedText), {
      code: 'VALIDATION_FAILED',
      errors: [
        err(
          'programs',
          ids.program,
          'description',
          `line ${textLine(reversedText, ids.program)}: text must not contain a lone surrogate \\ude00 at character 11`,
        ),
      ],
      description: 'a surrogate pair in the wrong order (\\uDE00\\uD83D, capitals: the tokenizer path)',
    }),
  );

  // Invalid UTF-8 (a Latin-1 é) in the middle of each format: the error names its line.
  const latin1 = (data: Buffer, inside: string) => {
    const at = data.indexOf(inside) + inside.indexOf('é'); // inside is ASCII before its é
    return Buffer.concat([data.subarray(0, at), Buffer.from([0xe9]), data.subarray(at + 2)]);
  };
  const lineOfBytes = (data: Buffer, inside: string) => data.subarray(0, data.indexOf(inside)).toString('latin1').split('\n').length;
  const accented = clone(base);
  rowOf(accented, 'users', ids.athlete).last_name = 'O’Lété';
  const accentedJson = encodeJson(accented);
  fixtures.push(
    bad('invalid-utf8.json', latin1(accentedJson, 'Lété'), {
      code: 'INVALID_BUNDLE',
      errors: [err(null, null, null, `line ${lineOfBytes(accentedJson, 'Lété')}: not valid UTF-8`)],
      description: 'a Latin-1 byte in a users row in the middle of a JSON bundle (was reported as "near line 1")',
    }),
  );
  const accentedSql = encodeSql(accented);
  fixtures.push(
    bad('invalid-utf8.sql', latin1(accentedSql, 'Lété'), {
      code: 'INVALID_BUNDLE',
      errors: [err('users', null, null, `line ${lineOfBytes(accentedSql, 'Lété')}: not valid UTF-8`)],
      description: 'a Latin-1 byte in a COPY data line of users',
    }),
  );
  const accentedCsv = csvFiles(accented);
  const usersCsv = accentedCsv.findIndex((e) => e.name === 'users.csv');
  fixtures.push(
    bad('invalid-utf8.zip', zipOf(accentedCsv.map((e, i) => (i === usersCsv ? { name: e.name, data: latin1(e.data, 'Lété') } : e))), {
      code: 'INVALID_BUNDLE',
      errors: [err('users', null, null, `users.csv line ${lineOfBytes(accentedCsv[usersCsv].data, 'Lété')}: not valid UTF-8`)],
      description: 'a Latin-1 byte in users.csv of a CSV bundle',
    }),
  );

  const header = csv.map((e) => (e.name === 'users.csv' ? { name: e.name, data: Buffer.from(e.data.toString('utf8').replace('email', 'e_mail')) } : e));
  fixtures.push(
    bad('csv-header.zip', zipOf(header), {
      code: 'INVALID_BUNDLE',
      errors: [err('users', null, null, 'header row must name')],
      description: "a CSV whose header does not match the manifest's columns",
    }),
  );
  return fixtures;
}
