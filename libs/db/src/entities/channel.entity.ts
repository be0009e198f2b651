import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ChannelConfig } from '@pingtree/contracts';

/** A buyer's endpoint. `config` holds the validated ChannelConfig (contracts) as JSON. */
@Entity('channels')
export class ChannelEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('uuid', { name: 'buyer_id' }) buyerId!: string;
  @Column('jsonb') config!: ChannelConfig;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
