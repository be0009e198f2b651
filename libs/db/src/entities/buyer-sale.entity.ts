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
 * Records that the buyer bought this lead's consumer, from the identity hashes the filter stored on
 * the lead row (no contact data needed). Keys in order, so concurrent sales can't deadlock.
 */
export async function recordBuyerSale(ds: DataSource, leadId: string, buyerId: string | undefined): Promise<void> {
  if (buyerId === undefined) return;
  await ds.query(
    `INSERT INTO buyer_sales (buyer_id, key_hash, lead_id, sold_at)
     SELECT $2, k, $1, now() FROM leads, unnest(leads.dedupe_key_hashes) AS k WHERE leads.id = $1 ORDER BY k
     ON CONFLICT (buyer_id, key_hash) DO UPDATE SET lead_id = EXCLUDED.lead_id, sold_at = EXCLUDED.sold_at`,
    [leadId, buyerId],
  );
}
