import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A pre-import backup is now, by default, a change set: the pre-image of exactly what one import
 * changed (docs/undo.md), not a full bundle of the tenant. The column says which a file is, since
 * a change set is undone (POST /api/imports/:jobId/undo), never restored as a bundle.
 */
export class ChangeSetBackups1765100000000 implements MigrationInterface {
  name = 'ChangeSetBackups1765100000000';

  public async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE "backups" ADD "content" text NOT NULL DEFAULT 'bundle'`);
    await q.query(`ALTER TABLE "backups" ADD CONSTRAINT "ck_backups_content" CHECK ("content" IN ('bundle', 'change-set'))`);
    await q.query(`CREATE INDEX "idx_backups_job" ON "backups" ("job_id")`);
  }

  public async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX "idx_backups_job"`);
    await q.query(`ALTER TABLE "backups" DROP CONSTRAINT "ck_backups_content"`);
    await q.query(`ALTER TABLE "backups" DROP COLUMN "content"`);
  }
}
