import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two platform tables (not RYTHM data: no bundle carries them). `api_tokens`: named, expiring,
 * revocable tokens for CI, kept as a sha256 only. `scratch_tenants`: tenants declared disposable
 * when they were made (QA clones), with an optional expiry for the clean-up job. Both go with
 * their tenant (ON DELETE CASCADE). Generated from the entities with TypeORM's schema builder.
 */
export class ApiTokensAndScratchTenants1765000000000 implements MigrationInterface {
  name = 'ApiTokensAndScratchTenants1765000000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "api_tokens" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "token_hash" text NOT NULL, "hint" text NOT NULL, "role" text NOT NULL, "tenant_id" uuid, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" uuid, CONSTRAINT "ck_api_tokens_tenant" CHECK (("role" = 'system_admin') = ("tenant_id" IS NULL)), CONSTRAINT "ck_api_tokens_role" CHECK ("role" IN ('org_admin', 'system_admin')), CONSTRAINT "PK_c587455266b5fa8dace7194caac" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE UNIQUE INDEX "uq_api_tokens_hash" ON "api_tokens"  ("token_hash") `);
    await q.query(`CREATE INDEX "IDX_2c3be6b98e872975a45a982507" ON "api_tokens"  ("tenant_id") `);
    await q.query(
      `CREATE TABLE "scratch_tenants" ("tenant_id" uuid NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "job_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_edaa231795978c9091ad829d820" PRIMARY KEY ("tenant_id"))`,
    );
    await q.query(`CREATE INDEX "idx_scratch_tenants_expires" ON "scratch_tenants"  ("expires_at") `);
    await q.query(
      `ALTER TABLE "api_tokens" ADD CONSTRAINT "FK_2c3be6b98e872975a45a982507b" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "scratch_tenants" ADD CONSTRAINT "FK_edaa231795978c9091ad829d820" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "scratch_tenants" DROP CONSTRAINT "FK_edaa231795978c9091ad829d820"`);
    await q.query(`ALTER TABLE "api_tokens" DROP CONSTRAINT "FK_2c3be6b98e872975a45a982507b"`);
    await q.query(`DROP INDEX "public"."idx_scratch_tenants_expires"`);
    await q.query(`DROP TABLE "scratch_tenants"`);
    await q.query(`DROP INDEX "public"."IDX_2c3be6b98e872975a45a982507"`);
    await q.query(`DROP INDEX "public"."uq_api_tokens_hash"`);
    await q.query(`DROP TABLE "api_tokens"`);
  }
}
