import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { TreeConfig } from '@pingtree/contracts';

/** A ping tree: ordered tiers, each with its logic and channels. */
@Entity('trees')
export class TreeEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('jsonb') config!: TreeConfig;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
