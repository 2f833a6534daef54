import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

describe('schema', () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    dataSource = new DataSource(dataSourceOptions(db.url));
    await dataSource.initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('matches the entities exactly: migration:generate would produce nothing', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('maintains updated_at on every UPDATE, unless an import preserves timestamps', async () => {
    await dataSource.query(`INSERT INTO tenants (id, name, slug, created_at, updated_at) VALUES (gen_random_uuid(), 'T', 't', '2020-01-01Z', '2020-01-01Z')`);
    await dataSource.query(`UPDATE tenants SET name = 'T2' WHERE slug = 't'`);
    const [touched] = await dataSource.query(`SELECT updated_at > '2021-01-01Z' AS moved FROM tenants WHERE slug = 't'`);
    expect(touched.moved).toBe(true);
    await dataSource.transaction(async (m) => {
      await m.query(`SET LOCAL rythm.preserve_timestamps = 'on'`);
      await m.query(`UPDATE tenants SET name = 'T3', updated_at = '2020-02-02Z' WHERE slug = 't'`);
    });
    const [kept] = await dataSource.query(`SELECT updated_at = '2020-02-02Z' AS kept FROM tenants WHERE slug = 't'`);
    expect(kept.kept).toBe(true);
  });

  it('enforces one email per tenant', async () => {
    const [tenant] = await dataSource.query(`INSERT INTO tenants (name, slug) VALUES ('U', 'u') RETURNING id`);
    const insert = () =>
      dataSource.query(`INSERT INTO users (tenant_id, email, first_name, last_name, role) VALUES ($1, 'a@u.example', 'A', 'B', 'athlete')`, [tenant.id]);
    await insert();
    await expect(insert()).rejects.toThrow(/uq_users_tenant_email/);
  });

  it('refuses UPDATE and DELETE on audit_log', async () => {
    await dataSource.query(`INSERT INTO audit_log (action, outcome, prev_hash, hash) VALUES ('x', 'success', 'a', 'b')`);
    await expect(dataSource.query(`UPDATE audit_log SET action = 'y'`)).rejects.toThrow(/append-only/);
    await expect(dataSource.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/);
  });
});
