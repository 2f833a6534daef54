import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source.js';
import { SystemAdminNoTenant1764900000000 } from '../src/database/migrations/1764900000000-system-admin-no-tenant.js';
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

  it('refuses a system admin inside a tenant: a system admin is a platform user', async () => {
    const [tenant] = await dataSource.query(`INSERT INTO tenants (name, slug) VALUES ('S', 's-admin') RETURNING id`);
    await expect(
      dataSource.query(`INSERT INTO users (tenant_id, email, first_name, last_name, role) VALUES ($1, 'root@s.example', 'R', 'S', 'system_admin')`, [
        tenant.id,
      ]),
    ).rejects.toThrow(/ck_users_system_admin_no_tenant/);
    await expect(dataSource.query(`INSERT INTO users (email, first_name, last_name, role) VALUES ('coach@s.example', 'C', 'S', 'coach')`)).rejects.toThrow(
      /ck_users_tenant_or_system_admin/,
    );
  });

  it('stops the system-admin migration with the ids of the users that break it, changing nothing', async () => {
    const migration = new SystemAdminNoTenant1764900000000();
    const runner = dataSource.createQueryRunner();
    try {
      await runner.startTransaction();
      await migration.down(runner);
      const [tenant] = await runner.query(`INSERT INTO tenants (name, slug) VALUES ('M', 'm-admin') RETURNING id`);
      const [user] = await runner.query(
        `INSERT INTO users (tenant_id, email, first_name, last_name, role) VALUES ($1, 'boss@m.example', 'B', 'M', 'system_admin') RETURNING id`,
        [tenant.id],
      );
      const failure = migration.up(runner).then(
        () => null,
        (error: Error) => error.message,
      );
      const message = await failure;
      expect(message).toContain(`1 user is a system admin inside a tenant: ${user.id as string} (boss@m.example, tenant ${tenant.id as string})`);
      expect(message).toContain(`UPDATE users SET role = 'org_admin'`);
      const constraint = await runner.query(`SELECT 1 FROM pg_constraint WHERE conname = 'ck_users_system_admin_no_tenant'`);
      expect(constraint).toHaveLength(0);
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    const restored = await dataSource.query(`SELECT 1 FROM pg_constraint WHERE conname = 'ck_users_system_admin_no_tenant'`);
    expect(restored).toHaveLength(1);
  });
});
