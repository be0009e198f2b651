import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Audit's trail repair reads the post attempts made since its last sweep. Without an index on
 * attempted_at each sweep read the whole table. An attempt's answer already changes `state`, which
 * the `post_attempts_pending` predicate reads, so that update was never HOT and this costs one more
 * index entry per attempt, not a HOT update.
 */
export class PostAttemptsByTime1764072000000 implements MigrationInterface {
  name = 'PostAttemptsByTime1764072000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX IF NOT EXISTS post_attempts_attempted_at ON post_attempts (attempted_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS post_attempts_attempted_at`);
  }
}
