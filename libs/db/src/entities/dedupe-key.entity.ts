import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A claimed identity hash per campaign. The primary key makes simultaneous duplicates lose. */
@Entity('dedupe_keys')
export class DedupeKeyEntity {
  @PrimaryColumn('uuid', { name: 'campaign_id' }) campaignId!: string;
  @PrimaryColumn('char', { name: 'key_hash', length: 64 }) keyHash!: string;
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('timestamptz', { name: 'claimed_at' }) claimedAt!: Date;
}
