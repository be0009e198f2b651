import { Injectable } from '@nestjs/common';
import { preparedStatement, runPrepared, type SuppressionScope } from '@pingtree/db';
import { DataSource } from 'typeorm';

/** A suppression list that holds one of the lead's identity hashes. */
export interface SuppressionHit {
  listId: string;
  name: string;
  kind: string;
  scope: SuppressionScope;
  buyerId: string | null;
}

const HITS = preparedStatement(
  'filter_suppression_hits',
  `SELECT DISTINCT l.id, l.name, l.kind, l.scope, l.buyer_id
   FROM suppression_entries e JOIN suppression_lists l ON l.id = e.list_id
   WHERE e.key_hash = ANY($1::text[])
     AND (l.scope = 'global' OR l.campaign_id = $2 OR l.buyer_id = ANY($3::uuid[]))
   ORDER BY l.name`,
);

/** Looks the lead's hashes up in every list that applies to it, in one indexed query. */
@Injectable()
export class SuppressionRepository {
  constructor(private readonly ds: DataSource) {}

  async hits(keys: string[], campaignId: string, buyerIds: string[]): Promise<SuppressionHit[]> {
    const rows = await runPrepared<{ id: string; name: string; kind: string; scope: SuppressionScope; buyer_id: string | null }>(
      this.ds,
      HITS,
      [keys, campaignId, buyerIds],
    );
    return rows.map((r) => ({ listId: r.id, name: r.name, kind: r.kind, scope: r.scope, buyerId: r.buyer_id }));
  }
}
