import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Which buyers bought this consumer recently (recorded by the post service on accepted posts). */
@Injectable()
export class BuyerSalesRepository {
  constructor(private readonly ds: DataSource) {}

  /** Buyer id → when it last bought one of these identities, within the last `days`. */
  async recentBuyers(keys: string[], buyerIds: string[], days: number): Promise<Map<string, Date>> {
    if (buyerIds.length === 0 || days <= 0) return new Map();
    const rows = (await this.ds.query(
      `SELECT buyer_id, max(sold_at) AS sold_at FROM buyer_sales
       WHERE buyer_id = ANY($2::uuid[]) AND key_hash = ANY($1::text[]) AND sold_at > now() - make_interval(days => $3)
       GROUP BY buyer_id`,
      [keys, buyerIds, days],
    )) as Array<{ buyer_id: string; sold_at: Date }>;
    return new Map(rows.map((r) => [r.buyer_id, r.sold_at]));
  }
}
