import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** A partner that posts leads. Its API key is stored only as a sha256 hash. */
@Entity('suppliers')
export class SupplierEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column('text') name!: string;
  @Column('text', { name: 'api_key_hash', unique: true }) apiKeyHash!: string;
  @Column('numeric', { name: 'price_floor', precision: 12, scale: 2, default: 0 }) priceFloor!: string;
  @Column('boolean', { default: true }) enabled!: boolean;
  /** Leads per second, per gateway replica; null: no limit. */
  @Column('integer', { name: 'rate_limit_per_second', nullable: true }) rateLimitPerSecond!: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
