import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Claims a lead's identity hashes for a campaign. One statement per lead: the primary key makes
 * two identical leads arriving together serialise, and only one claims every key.
 */
@Injectable()
export class DedupeRepository {
  constructor(private readonly ds: DataSource) {}

  /** Returns the lead that already holds one of the keys inside the window, or null if all are ours now. */
  async claim(campaignId: string, leadId: string, keys: string[], windowHours: number): Promise<string | null> {
    // Sorted, so concurrent claims of overlapping key sets take rows in the same order.
    const sorted = [...new Set(keys)].sort();
    const claimed = (await this.ds.query(
      `INSERT INTO dedupe_keys (campaign_id, key_hash, lead_id, claimed_at)
       SELECT $1, k, $2, now() FROM unnest($3::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n
       ON CONFLICT (campaign_id, key_hash) DO UPDATE
         SET lead_id = EXCLUDED.lead_id, claimed_at = EXCLUDED.claimed_at
         WHERE dedupe_keys.claimed_at < now() - make_interval(secs => $4) OR dedupe_keys.lead_id = EXCLUDED.lead_id
       RETURNING key_hash`,
      [campaignId, leadId, sorted, windowHours * 3600],
    )) as unknown[];
    if (claimed.length === sorted.length) return null;
    // A duplicate keeps no keys, so it can't make later leads look like its duplicates.
    const [holder] = (await this.ds.query(
      `WITH released AS (DELETE FROM dedupe_keys WHERE campaign_id = $1 AND lead_id = $2)
       SELECT lead_id FROM dedupe_keys WHERE campaign_id = $1 AND key_hash = ANY($3::text[]) AND lead_id <> $2 LIMIT 1`,
      [campaignId, leadId, sorted],
    )) as Array<{ lead_id: string }>;
    return holder?.lead_id ?? null;
  }
}
