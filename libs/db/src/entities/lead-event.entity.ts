import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The audit trail: one row per lead event, keyed by the event's deterministic id. */
@Entity('lead_events')
@Index(['leadId', 'at'])
export class LeadEventEntity {
  @PrimaryColumn('text') id!: string;
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('text') type!: string;
  @Column('text') service!: string;
  @Column('timestamptz') at!: Date;
  @Column('int', { name: 'tier_index', nullable: true }) tierIndex!: number | null;
  @Column('uuid', { name: 'channel_id', nullable: true }) channelId!: string | null;
  @Column('jsonb') data!: Record<string, unknown>;
}
