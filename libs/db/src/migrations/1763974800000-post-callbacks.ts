import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Async posts: when a pending post must be confirmed by, and the reference the buyer confirms with. */
export class PostCallbacks1763974800000 implements MigrationInterface {
  name = 'PostCallbacks1763974800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE post_attempts ADD COLUMN callback_deadline timestamptz, ADD COLUMN callback_ref text, ADD COLUMN late boolean NOT NULL DEFAULT false`,
    );
    await q.query(`CREATE INDEX post_attempts_pending ON post_attempts (callback_deadline) WHERE state = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS post_attempts_pending`);
    await q.query(
      `ALTER TABLE post_attempts DROP COLUMN IF EXISTS callback_deadline, DROP COLUMN IF EXISTS callback_ref, DROP COLUMN IF EXISTS late`,
    );
  }
}
