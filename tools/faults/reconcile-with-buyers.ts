import { UNKNOWN_POST_STATES } from '@pingtree/contracts';
import type { Client } from 'pg';
import { request } from 'undici';
import type { RecordedPost } from './buyer-recorder';
import { tally } from './checks';

export interface Reconciliation {
  /** Posts whose answer was lost, by what the operator recorded and where the lead went. */
  recorded: Record<string, number>;
  /** Reconciliations the gateway refused, with its reason: each is a problem. */
  refused: string[];
}

/** An operator, one post at a time, on the console's budget. */
const RECONCILE_TIMEOUT_MS = 10_000;

/**
 * What an operator does after the faults: asks each buyer whose post answer was lost whether it
 * bought the lead (the recorder in front of buyer-sim knows) and records that through the admin API.
 * A post that never reached the buyer was not bought.
 */
export async function reconcileWithBuyers(input: {
  db: Client;
  gatewayUrl: string;
  adminKey: string;
  recorded: RecordedPost[];
  channelByBuyer: Map<string, string>;
}): Promise<Reconciliation> {
  const buyerOfChannel = new Map([...input.channelByBuyer].map(([buyer, channel]) => [channel, buyer]));
  const bought = new Set(input.recorded.filter((p) => p.bought && p.leadId).map((p) => `${p.leadId}|${p.buyer}`));
  const { rows } = await input.db.query<{ lead_id: string; channel_id: string }>(
    `SELECT a.lead_id, a.channel_id FROM post_attempts a JOIN leads l ON l.id = a.lead_id
     WHERE l.state = 'needs_reconciliation' AND a.state = ANY($1::text[])
     ORDER BY a.id`,
    [UNKNOWN_POST_STATES],
  );
  const outcomes: string[] = [];
  const refused: string[] = [];
  for (const post of rows) {
    const outcome = bought.has(`${post.lead_id}|${buyerOfChannel.get(post.channel_id)}`) ? 'accepted' : 'rejected';
    const res = await request(`${input.gatewayUrl}/v1/admin/leads/${post.lead_id}/reconciliation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-key': input.adminKey, 'x-admin-user': 'faults-suite' },
      body: JSON.stringify({ channelId: post.channel_id, outcome, reason: 'as the buyer recorded it' }),
      headersTimeout: RECONCILE_TIMEOUT_MS,
      bodyTimeout: RECONCILE_TIMEOUT_MS,
    });
    const body = (await res.body.json()) as { state?: string; error?: { message?: string } };
    if (res.statusCode === 200) outcomes.push(`${outcome} → lead ${body.state}`);
    else refused.push(`${post.lead_id}: ${res.statusCode} ${body.error?.message ?? ''}`);
  }
  return { recorded: tally(outcomes), refused };
}
