import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A system admin is a platform user: the schema refuses a `system_admin` that belongs to a tenant
 * (docs/security.md). With the constraint of the first migration, a user has a tenant exactly
 * when they are not a system admin. Rows that break it stop the migration with their ids, since
 * turning a tenant user into a platform operator (or back) is a decision for a person.
 */
export class SystemAdminNoTenant1764900000000 implements MigrationInterface {
  name = 'SystemAdminNoTenant1764900000000';

  public async up(q: QueryRunner): Promise<void> {
    const broken: { id: string; email: string; tenant_id: string }[] = await q.query(
      `SELECT "id", "email", "tenant_id" FROM "users" WHERE "role" = 'system_admin' AND "tenant_id" IS NOT NULL ORDER BY "id"`,
    );
    if (broken.length > 0) {
      const listed = broken
        .slice(0, 20)
        .map((u) => `${u.id} (${u.email}, tenant ${u.tenant_id})`)
        .join(', ');
      throw new Error(
        `Migration ${this.name} stopped: ${broken.length} user${broken.length === 1 ? ' is a system admin' : 's are system admins'} inside a tenant: ${listed}${broken.length > 20 ? ', …' : ''}. ` +
          `A system admin is a platform user with no tenant. For each, either demote them (UPDATE users SET role = 'org_admin' WHERE id = '…') or make them a platform user (UPDATE users SET tenant_id = NULL WHERE id = '…'), then start RYTHM Data again.`,
      );
    }
    await q.query(`ALTER TABLE "users" ADD CONSTRAINT "ck_users_system_admin_no_tenant" CHECK ("role" <> 'system_admin' OR "tenant_id" IS NULL)`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "ck_users_system_admin_no_tenant"`);
  }
}
