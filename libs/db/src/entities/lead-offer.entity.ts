import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

/** A buyer offered to the consumer in a choice tier; posted to only if picked before expiry. */
@Entity('lead_offers')
@Unique(['leadId', 'channelId'])
export class LeadOfferEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('uuid', { name: 'channel_id' }) channelId!: string;
  @Column('int', { name: 'tier_index' }) tierIndex!: number;
  @Column('numeric', { precision: 12, scale: 2 }) price!: string;
  @Column('numeric', { name: 'effective_bid', precision: 12, scale: 2 }) effectiveBid!: string;
  @Column('numeric', { precision: 12, scale: 2 }) payout!: string;
  @Column('text', { name: 'buyer_ref', nullable: true }) buyerRef!: string | null;
  @Column('text', { name: 'buyer_name' }) buyerName!: string;
  @Column('int') rank!: number;
  @Column('timestamptz', { name: 'expires_at' }) expiresAt!: Date;
  @Column('timestamptz', { name: 'picked_at', nullable: true }) pickedAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
