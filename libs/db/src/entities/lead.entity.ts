import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Consent, Contact, LeadDecision, LeadState, PingLead } from '@pingtree/contracts';

/**
 * The system of record for a lead. `pingLead` is the non-contact view buyers may see;
 * `contact` and `consent` go only to the buyer who bought.
 */
@Entity('leads')
@Index(['supplierId', 'supplierLeadId'])
export class LeadEntity {
  @PrimaryColumn('uuid') id!: string;
  @Column('uuid', { name: 'campaign_id' }) campaignId!: string;
  @Column('uuid', { name: 'supplier_id' }) supplierId!: string;
  @Column('text', { name: 'supplier_lead_id', nullable: true }) supplierLeadId!: string | null;
  @Column('text') state!: LeadState;
  @Column('timestamptz', { name: 'received_at' }) receivedAt!: Date;
  @Column('timestamptz', { name: 'deadline_at' }) deadlineAt!: Date;
  @Column('jsonb', { name: 'ping_lead' }) pingLead!: PingLead;
  @Column('jsonb') contact!: Contact;
  @Column('jsonb') consent!: Consent;
  @Column('jsonb', { nullable: true }) decision!: LeadDecision | null;
  @Column('text', { name: 'trace_id', nullable: true }) traceId!: string | null;
  /** Each state the lead entered, oldest first. */
  @Column('jsonb', { default: () => "'[]'::jsonb" }) lifecycle!: Array<{ state: LeadState; at: string }>;
  @Column('timestamptz', { name: 'updated_at' }) updatedAt!: Date;
}
