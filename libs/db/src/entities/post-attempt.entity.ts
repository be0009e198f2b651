import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * A post is written here as `attempted` before it is sent, then updated with the answer.
 * An `attempted` row with no answer after a crash is reconciled, never re-sent blindly.
 */
@Entity('post_attempts')
@Unique(['leadId', 'channelId'])
export class PostAttemptEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('uuid', { name: 'channel_id' }) channelId!: string;
  @Column('int', { name: 'tier_index' }) tierIndex!: number;
  @Column('text') state!: string;
  @Column('numeric', { precision: 12, scale: 2 }) price!: string;
  @Column('numeric', { precision: 12, scale: 2, nullable: true }) payout!: string | null;
  @Column('text', { name: 'buyer_ref', nullable: true }) buyerRef!: string | null;
  @Column('text', { nullable: true }) reason!: string | null;
  @Column('text', { name: 'redirect_url', nullable: true }) redirectUrl!: string | null;
  @Column('int', { name: 'http_status', nullable: true }) httpStatus!: number | null;
  @Column('timestamptz', { name: 'attempted_at' }) attemptedAt!: Date;
  @Column('timestamptz', { name: 'answered_at', nullable: true }) answeredAt!: Date | null;
}
