import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One suppressed identity: the sha256 of a normalised phone or email, never the value. */
@Entity('suppression_entries')
export class SuppressionEntryEntity {
  @PrimaryColumn('text', { name: 'key_hash' }) keyHash!: string;
  @PrimaryColumn('uuid', { name: 'list_id' }) listId!: string;
  @Column('timestamptz', { name: 'added_at' }) addedAt!: Date;
}
