import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type SuppressionScope = 'global' | 'campaign' | 'buyer';

/** A do-not-call (or complaints, or other) list: global, for one campaign, or for one buyer. */
@Entity('suppression_lists')
export class SuppressionListEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text', { unique: true }) name!: string;
  @Column('text') kind!: string;
  @Column('text') scope!: SuppressionScope;
  @Column('uuid', { name: 'campaign_id', nullable: true }) campaignId!: string | null;
  @Column('uuid', { name: 'buyer_id', nullable: true }) buyerId!: string | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
