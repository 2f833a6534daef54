import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The RYTHM schema (DESIGN §2) and the platform tables. Generated from the entities with
 * TypeORM's schema builder, then reviewed; the triggers below are hand-written because the
 * schema builder does not see them. Never edit after it has landed: add a migration.
 */
export class InitialSchema1764300000000 implements MigrationInterface {
  name = 'InitialSchema1764300000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE "audit_log" ("id" BIGSERIAL NOT NULL, "actor_id" uuid, "actor_email" text, "role" text, "tenant_id" uuid, "action" text NOT NULL, "params" jsonb NOT NULL DEFAULT '{}', "outcome" text NOT NULL, "client_ip" text, "user_agent" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "prev_hash" text NOT NULL, "hash" text NOT NULL, CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_8ce0776c154c443e780270bbd7" ON "audit_log"  ("tenant_id") `);
    await q.query(`CREATE INDEX "IDX_951e6339a77994dfbad976b35c" ON "audit_log"  ("action") `);
    await q.query(`CREATE INDEX "idx_audit_log_created" ON "audit_log"  ("created_at") `);
    await q.query(
      `CREATE TABLE "backups" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "kind" text NOT NULL, "scope" text NOT NULL, "tenant_id" uuid, "file_name" text NOT NULL, "size_bytes" bigint NOT NULL, "sha256" text NOT NULL, "row_counts" jsonb NOT NULL DEFAULT '{}', "schema_version" text NOT NULL, "created_by" uuid, "note" text, "job_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ca30ff369eddfc7dac3b35d0d3c" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_2467617cbeb2eaefa4a39cac0d" ON "backups"  ("tenant_id") `);
    await q.query(`CREATE INDEX "idx_backups_created" ON "backups"  ("created_at") `);
    await q.query(
      `CREATE TABLE "equipment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "category" text NOT NULL, "description" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_b44a87bec78c8cf13f5bb838577" UNIQUE ("name"), CONSTRAINT "PK_0722e1b9d6eb19f5874c1678740" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "tenants" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "slug" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_2310ecc5cb8be427097154b18fc" UNIQUE ("slug"), CONSTRAINT "PK_53be67a04681c66b87ee27c9321" PRIMARY KEY ("id"))`,
    );
    await q.query(
      `CREATE TABLE "exercises" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid, "name" text NOT NULL, "category" text NOT NULL, "muscle_groups" text array NOT NULL DEFAULT '{}', "equipment_id" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c4c46f5fa89a58ba7c2d894e3c3" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_73463c43ba0c00a879082bfb61" ON "exercises"  ("tenant_id") `);
    await q.query(
      `CREATE TABLE "exercise_templates" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid, "name" text NOT NULL, "exercise_id" uuid NOT NULL, "default_sets" integer NOT NULL, "default_reps" integer NOT NULL, "default_weight_kg" numeric(7,2), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4502e934f85783b907cc9142253" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_b6b4ce1411b15f9b5a88356ecd" ON "exercise_templates"  ("tenant_id") `);
    await q.query(
      `CREATE TABLE "users" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid, "email" text NOT NULL, "password_hash" text, "first_name" text NOT NULL, "last_name" text NOT NULL, "role" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_users_role" CHECK ("role" IN ('athlete', 'coach', 'org_admin', 'system_admin')), CONSTRAINT "ck_users_tenant_or_system_admin" CHECK ("tenant_id" IS NOT NULL OR "role" = 'system_admin'), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_109638590074998bb72a2f2cf0" ON "users"  ("tenant_id") `);
    await q.query(`CREATE UNIQUE INDEX "uq_users_platform_email" ON "users"  ("email") WHERE "tenant_id" IS NULL`);
    await q.query(`CREATE UNIQUE INDEX "uq_users_tenant_email" ON "users"  ("tenant_id", "email") `);
    await q.query(
      `CREATE TABLE "programs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "name" text NOT NULL, "description" text, "duration_weeks" integer NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d43c664bcaafc0e8a06dfd34e05" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_2d780da44a2518c4f1b71eda39" ON "programs"  ("tenant_id") `);
    await q.query(
      `CREATE TABLE "program_assignments" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "user_id" uuid NOT NULL, "program_id" uuid NOT NULL, "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_program_assignments_status" CHECK ("status" IN ('active', 'completed', 'cancelled')), CONSTRAINT "PK_5bcb88e445b2a6ff91f0102ff6c" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_a00cdfc75724c8e698f73aaa6f" ON "program_assignments"  ("tenant_id") `);
    await q.query(`CREATE INDEX "IDX_fc24c477752e7388562fbc5206" ON "program_assignments"  ("user_id") `);
    await q.query(
      `CREATE TABLE "workouts" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "program_id" uuid NOT NULL, "name" text NOT NULL, "day_index" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5b2319bf64a674d40237dbb1697" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_0f465f6c2987cce37f775b648d" ON "workouts"  ("tenant_id") `);
    await q.query(`CREATE INDEX "IDX_119ccb4fc00c67bc04ed8dcf66" ON "workouts"  ("program_id") `);
    await q.query(
      `CREATE TABLE "sessions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "user_id" uuid NOT NULL, "program_id" uuid, "workout_id" uuid, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "notes" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_22aa22eb69a1e6826a1f58902d" ON "sessions"  ("tenant_id") `);
    await q.query(`CREATE INDEX "IDX_085d540d9f418cfbdc7bd55bb1" ON "sessions"  ("user_id") `);
    await q.query(`CREATE INDEX "idx_sessions_tenant_started" ON "sessions"  ("tenant_id", "started_at") `);
    await q.query(
      `CREATE TABLE "sets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "tenant_id" uuid NOT NULL, "session_id" uuid NOT NULL, "exercise_id" uuid NOT NULL, "set_index" integer NOT NULL, "reps" integer, "weight_kg" numeric(7,2), "duration_s" integer, "distance_m" numeric(9,2), "rpe" numeric(3,1), "notes" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5d15ed8b3e2a5cb6e9c9921d056" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_1792938601dc14361192c42463" ON "sets"  ("tenant_id") `);
    await q.query(`CREATE INDEX "IDX_f3c79fdfa0c841df7f4aae9ac2" ON "sets"  ("session_id") `);
    await q.query(`CREATE INDEX "IDX_6e1ca3ee24c9f4002d402e71b6" ON "sets"  ("exercise_id") `);
    await q.query(
      `CREATE TABLE "data_jobs" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "type" text NOT NULL, "status" text NOT NULL DEFAULT 'queued', "tenant_id" uuid, "created_by" uuid, "params" jsonb NOT NULL DEFAULT '{}', "progress" jsonb, "result" jsonb, "error" jsonb, "file_name" text, "worker_id" text, "cancel_requested" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_34b1444e02f27adc701eb81091e" PRIMARY KEY ("id"))`,
    );
    await q.query(`CREATE INDEX "IDX_0ad1af4f9b7cab5eee015f949a" ON "data_jobs"  ("status") `);
    await q.query(`CREATE INDEX "IDX_e8f135a524c2f6ed5a292bb5e3" ON "data_jobs"  ("tenant_id") `);
    await q.query(`CREATE INDEX "idx_data_jobs_created" ON "data_jobs"  ("created_at") `);
    await q.query(
      `ALTER TABLE "exercises" ADD CONSTRAINT "FK_73463c43ba0c00a879082bfb61d" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "exercises" ADD CONSTRAINT "FK_2bb208f4a02f1b077c67352fc11" FOREIGN KEY ("equipment_id") REFERENCES "equipment"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "exercise_templates" ADD CONSTRAINT "FK_b6b4ce1411b15f9b5a88356ecd9" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "exercise_templates" ADD CONSTRAINT "FK_47724dc76a31833c0561189bf5e" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "users" ADD CONSTRAINT "FK_109638590074998bb72a2f2cf08" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "programs" ADD CONSTRAINT "FK_2d780da44a2518c4f1b71eda398" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "programs" ADD CONSTRAINT "FK_49427782d15ccb8a84543220ab1" FOREIGN KEY ("created_by") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "program_assignments" ADD CONSTRAINT "FK_a00cdfc75724c8e698f73aaa6fa" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "program_assignments" ADD CONSTRAINT "FK_fc24c477752e7388562fbc52061" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "program_assignments" ADD CONSTRAINT "FK_382242b896a9611b1b95ba814a0" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "workouts" ADD CONSTRAINT "FK_0f465f6c2987cce37f775b648d9" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "workouts" ADD CONSTRAINT "FK_119ccb4fc00c67bc04ed8dcf66c" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_22aa22eb69a1e6826a1f58902d1" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_9dea15b1f15290625d1417948a1" FOREIGN KEY ("program_id") REFERENCES "programs"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_942918f28cde21da64e28b63d81" FOREIGN KEY ("workout_id") REFERENCES "workouts"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sets" ADD CONSTRAINT "FK_1792938601dc14361192c42463a" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sets" ADD CONSTRAINT "FK_f3c79fdfa0c841df7f4aae9ac28" FOREIGN KEY ("session_id") REFERENCES "sessions"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await q.query(
      `ALTER TABLE "sets" ADD CONSTRAINT "FK_6e1ca3ee24c9f4002d402e71b68" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );

    // updated_at follows every UPDATE, unless an import sets rythm.preserve_timestamps so that a
    // bundle's own timestamps survive the round trip.
    await q.query(`CREATE FUNCTION rythm_touch_updated_at() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF coalesce(current_setting('rythm.preserve_timestamps', true), '') <> 'on' THEN
          NEW.updated_at := now();
        END IF;
        RETURN NEW;
      END $$`);
    for (const table of DOMAIN_TABLES) {
      await q.query(`CREATE TRIGGER trg_${table}_updated_at BEFORE UPDATE ON "${table}" FOR EACH ROW EXECUTE FUNCTION rythm_touch_updated_at()`);
    }

    // The audit log is append-only: the database itself refuses changes.
    await q.query(`CREATE FUNCTION rythm_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(
      `CREATE TRIGGER trg_audit_log_append_only BEFORE UPDATE OR DELETE ON "audit_log" FOR EACH ROW EXECUTE FUNCTION rythm_audit_log_append_only()`,
    );
    await q.query(`CREATE TRIGGER trg_audit_log_no_truncate BEFORE TRUNCATE ON "audit_log" FOR EACH STATEMENT EXECUTE FUNCTION rythm_audit_log_append_only()`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER trg_audit_log_no_truncate ON "audit_log"`);
    await q.query(`DROP TRIGGER trg_audit_log_append_only ON "audit_log"`);
    await q.query(`DROP FUNCTION rythm_audit_log_append_only()`);
    for (const table of DOMAIN_TABLES) {
      await q.query(`DROP TRIGGER trg_${table}_updated_at ON "${table}"`);
    }
    await q.query(`DROP FUNCTION rythm_touch_updated_at()`);
    await q.query(`ALTER TABLE "sets" DROP CONSTRAINT "FK_6e1ca3ee24c9f4002d402e71b68"`);
    await q.query(`ALTER TABLE "sets" DROP CONSTRAINT "FK_f3c79fdfa0c841df7f4aae9ac28"`);
    await q.query(`ALTER TABLE "sets" DROP CONSTRAINT "FK_1792938601dc14361192c42463a"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_942918f28cde21da64e28b63d81"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_9dea15b1f15290625d1417948a1"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"`);
    await q.query(`ALTER TABLE "sessions" DROP CONSTRAINT "FK_22aa22eb69a1e6826a1f58902d1"`);
    await q.query(`ALTER TABLE "workouts" DROP CONSTRAINT "FK_119ccb4fc00c67bc04ed8dcf66c"`);
    await q.query(`ALTER TABLE "workouts" DROP CONSTRAINT "FK_0f465f6c2987cce37f775b648d9"`);
    await q.query(`ALTER TABLE "program_assignments" DROP CONSTRAINT "FK_382242b896a9611b1b95ba814a0"`);
    await q.query(`ALTER TABLE "program_assignments" DROP CONSTRAINT "FK_fc24c477752e7388562fbc52061"`);
    await q.query(`ALTER TABLE "program_assignments" DROP CONSTRAINT "FK_a00cdfc75724c8e698f73aaa6fa"`);
    await q.query(`ALTER TABLE "programs" DROP CONSTRAINT "FK_49427782d15ccb8a84543220ab1"`);
    await q.query(`ALTER TABLE "programs" DROP CONSTRAINT "FK_2d780da44a2518c4f1b71eda398"`);
    await q.query(`ALTER TABLE "users" DROP CONSTRAINT "FK_109638590074998bb72a2f2cf08"`);
    await q.query(`ALTER TABLE "exercise_templates" DROP CONSTRAINT "FK_47724dc76a31833c0561189bf5e"`);
    await q.query(`ALTER TABLE "exercise_templates" DROP CONSTRAINT "FK_b6b4ce1411b15f9b5a88356ecd9"`);
    await q.query(`ALTER TABLE "exercises" DROP CONSTRAINT "FK_2bb208f4a02f1b077c67352fc11"`);
    await q.query(`ALTER TABLE "exercises" DROP CONSTRAINT "FK_73463c43ba0c00a879082bfb61d"`);
    await q.query(`DROP INDEX "public"."idx_data_jobs_created"`);
    await q.query(`DROP INDEX "public"."IDX_e8f135a524c2f6ed5a292bb5e3"`);
    await q.query(`DROP INDEX "public"."IDX_0ad1af4f9b7cab5eee015f949a"`);
    await q.query(`DROP TABLE "data_jobs"`);
    await q.query(`DROP INDEX "public"."IDX_6e1ca3ee24c9f4002d402e71b6"`);
    await q.query(`DROP INDEX "public"."IDX_f3c79fdfa0c841df7f4aae9ac2"`);
    await q.query(`DROP INDEX "public"."IDX_1792938601dc14361192c42463"`);
    await q.query(`DROP TABLE "sets"`);
    await q.query(`DROP INDEX "public"."idx_sessions_tenant_started"`);
    await q.query(`DROP INDEX "public"."IDX_085d540d9f418cfbdc7bd55bb1"`);
    await q.query(`DROP INDEX "public"."IDX_22aa22eb69a1e6826a1f58902d"`);
    await q.query(`DROP TABLE "sessions"`);
    await q.query(`DROP INDEX "public"."IDX_119ccb4fc00c67bc04ed8dcf66"`);
    await q.query(`DROP INDEX "public"."IDX_0f465f6c2987cce37f775b648d"`);
    await q.query(`DROP TABLE "workouts"`);
    await q.query(`DROP INDEX "public"."IDX_fc24c477752e7388562fbc5206"`);
    await q.query(`DROP INDEX "public"."IDX_a00cdfc75724c8e698f73aaa6f"`);
    await q.query(`DROP TABLE "program_assignments"`);
    await q.query(`DROP INDEX "public"."IDX_2d780da44a2518c4f1b71eda39"`);
    await q.query(`DROP TABLE "programs"`);
    await q.query(`DROP INDEX "public"."uq_users_tenant_email"`);
    await q.query(`DROP INDEX "public"."uq_users_platform_email"`);
    await q.query(`DROP INDEX "public"."IDX_109638590074998bb72a2f2cf0"`);
    await q.query(`DROP TABLE "users"`);
    await q.query(`DROP INDEX "public"."IDX_b6b4ce1411b15f9b5a88356ecd"`);
    await q.query(`DROP TABLE "exercise_templates"`);
    await q.query(`DROP INDEX "public"."IDX_73463c43ba0c00a879082bfb61"`);
    await q.query(`DROP TABLE "exercises"`);
    await q.query(`DROP TABLE "tenants"`);
    await q.query(`DROP TABLE "equipment"`);
    await q.query(`DROP INDEX "public"."idx_backups_created"`);
    await q.query(`DROP INDEX "public"."IDX_2467617cbeb2eaefa4a39cac0d"`);
    await q.query(`DROP TABLE "backups"`);
    await q.query(`DROP INDEX "public"."idx_audit_log_created"`);
    await q.query(`DROP INDEX "public"."IDX_951e6339a77994dfbad976b35c"`);
    await q.query(`DROP INDEX "public"."IDX_8ce0776c154c443e780270bbd7"`);
    await q.query(`DROP TABLE "audit_log"`);
  }
}

const DOMAIN_TABLES = ['tenants', 'equipment', 'exercises', 'exercise_templates', 'users', 'programs', 'workouts', 'sessions', 'sets', 'program_assignments'];
