import { Column, Entity, PrimaryColumn, type DataSource } from 'typeorm';

/** The last time a buyer bought a consumer, per identity hash: feeds the per-buyer dedupe window. */
@Entity('buyer_sales')
export class BuyerSaleEntity {
  @PrimaryColumn('uuid', { name: 'buyer_id' }) buyerId!: string;
  @PrimaryColumn('text', { name: 'key_hash' }) keyHash!: string;
  @Column('uuid', { name: 'lead_id' }) leadId!: string;
  @Column('timestamptz', { name: 'sold_at' }) soldAt!: Date;
}

/**
 * The statement recording that a buyer bought a lead's consumer, from the identity hashes stored on
 * the lead row (no contact data needed). Keys in order, so concurrent sales can't deadlock.
 * `leadParam`/`buyerParam` are placeholders like `$1`; a null buyer records nothing.
 */
export function buyerSaleInsertSql(leadParam: string, buyerParam: string): string {
  return `INSERT INTO buyer_sales (buyer_id, key_hash, lead_id, sold_at)
     SELECT ${buyerParam}::uuid, k, ${leadParam}::uuid, now() FROM leads, unnest(leads.dedupe_key_hashes) AS k
     WHERE leads.id = ${leadParam}::uuid AND ${buyerParam}::uuid IS NOT NULL ORDER BY k
     ON CONFLICT (buyer_id, key_hash) DO UPDATE SET lead_id = EXCLUDED.lead_id, sold_at = EXCLUDED.sold_at`;
}

/** Records that the buyer bought this lead's consumer: feeds the per-buyer dedupe window. */
export async function recordBuyerSale(ds: DataSource, leadId: string, buyerId: string | undefined): Promise<void> {
  if (buyerId === undefined) return;
  await ds.query(buyerSaleInsertSql('$1', '$2'), [leadId, buyerId]);
}
