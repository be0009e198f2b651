import { TERMINAL_LEAD_STATES } from '@pingtree/contracts';
import type { Client } from 'pg';
import type { RecordedPost } from './buyer-recorder';
import type { SimPost } from './sim-request-log';

/** A lead is done when it reached a terminal state, or waits for the consumer's pick with an offer still open. */
const DONE_STATES = [...TERMINAL_LEAD_STATES];

export interface CheckInput {
  db: Client;
  /** Lead ids the gateway answered 200 for. */
  acceptedLeadIds: string[];
  recorded: RecordedPost[];
  simPosts: SimPost[];
  cappedChannelId: string;
  cappedBuyer: string;
  dailyCap: number;
  /** The capped channel's time zone: its day window starts at local midnight. */
  capTimezone: string;
  channelByBuyer: Map<string, string>;
}

/** What the database and the buyers say after the run; the four guarantees are the first four counts. */
export interface Findings {
  notTerminal: { count: number; byState: Record<string, number>; examples: string[] };
  doubleSold: {
    count: number;
    fromPostAttempts: number;
    boughtByTwoBuyers: number;
    /** The lead went to another buyer after one had bought it: an exclusive lead in two buyers' hands. */
    postedAfterBought: number;
    postedTwiceToOneBuyer: { recorder: number; simRequestLog: number };
    examples: string[];
  };
  capOvershoot: {
    count: number;
    cap: number;
    acceptedPostAttempts: number;
    boughtByCappedBuyer: number;
    maxWindowUsedCount: number;
    stillReserved: number;
  };
  lostEvents: {
    count: number;
    acceptedMissingReceived: number;
    acceptedMissingFinished: number;
    postAttemptsWithoutEvent: number;
    examples: string[];
  };
  leadsInDb: number;
  finalStates: Record<string, number>;
  needsReconciliation: {
    count: number;
    reasons: Record<string, number>;
    /** For the post whose answer was unknown: what the buyer really did (recorder), per post attempt state. */
    unknownPosts: Record<string, number>;
  };
  /** The buyer bought, but the platform recorded something else: by post attempt state / lead state. */
  boughtNotRecorded: Record<string, number>;
  buyerPosts: { recorder: number; simRequestLog: number; bought: number; answersLost: number };
}

export async function runChecks(input: CheckInput): Promise<Findings> {
  const { db } = input;
  const buyerOfChannel = new Map([...input.channelByBuyer].map(([buyer, channel]) => [channel, buyer]));

  const states = await db.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM leads GROUP BY state`);
  const finalStates = Object.fromEntries(states.rows.map((r) => [r.state, r.n]));
  const open = await db.query<{ id: string; state: string }>(
    `SELECT id, state FROM leads l
     WHERE state <> ALL($1::text[])
       AND NOT (state = 'offered' AND EXISTS (SELECT 1 FROM lead_offers o WHERE o.lead_id = l.id AND o.expires_at > now()))`,
    [DONE_STATES],
  );

  // Double sales: every tier of the fault tree is exclusive and stops on a sale.
  const accepted = await db.query<{ lead_id: string; channel_id: string; attempted_at: Date }>(
    `SELECT lead_id, channel_id, attempted_at FROM post_attempts WHERE state = 'accepted'`,
  );
  const twiceInDb = countOver(accepted.rows.map((r) => r.lead_id));
  const bought = input.recorded.filter((p) => p.bought && p.leadId !== null);
  const buyersPerLead = groupDistinct(bought.map((p) => [p.leadId!, p.buyer]));
  const twiceBought = [...buyersPerLead].filter(([, buyers]) => buyers.size > 1).map(([lead]) => lead);
  const postedAfterBought = leadsPostedAfterBought(input.recorded);
  const resentRecorder = countOver(input.recorded.map((p) => `${p.leadId}|${p.buyer}`)).length;
  const resentSim = countOver(input.simPosts.map((p) => `${p.leadId}|${p.buyer}`)).length;

  // Caps: what the platform recorded, what the buyer really bought, and the window counters.
  // Per day in the buyer's time zone, as the cap counts: a run across midnight fills two windows.
  const day = localDay(input.capTimezone);
  const cappedAccepted = maxPerKey(
    accepted.rows.filter((r) => r.channel_id === input.cappedChannelId).map((r) => day(r.attempted_at)),
  );
  const cappedBought = maxPerKey(bought.filter((p) => p.buyer === input.cappedBuyer).map((p) => day(new Date(p.receivedAt))));
  const windows = await db.query<{ used: number; reserved: number }>(
    `SELECT used_count AS used, reserved_count AS reserved FROM channel_cap_windows WHERE channel_id = $1`,
    [input.cappedChannelId],
  );
  const maxUsed = Math.max(0, ...windows.rows.map((w) => w.used));
  const stillReserved = windows.rows.reduce((sum, w) => sum + w.reserved, 0);

  // Events: every accepted lead has its start and end; every post attempt has at least one post event.
  const events = await db.query<{ lead_id: string; type: string }>(
    `SELECT DISTINCT lead_id, type FROM lead_events WHERE type IN ('received', 'finished') AND lead_id = ANY($1::uuid[])`,
    [input.acceptedLeadIds],
  );
  const seen = new Set(events.rows.map((e) => `${e.lead_id}|${e.type}`));
  const missingReceived = input.acceptedLeadIds.filter((id) => !seen.has(`${id}|received`));
  const missingFinished = input.acceptedLeadIds.filter((id) => !seen.has(`${id}|finished`));
  const silentPosts = await db.query<{ lead_id: string; channel_id: string }>(
    `SELECT a.lead_id, a.channel_id FROM post_attempts a WHERE NOT EXISTS (
       SELECT 1 FROM lead_events e WHERE e.lead_id = a.lead_id AND e.channel_id = a.channel_id
         AND e.type IN ('posted', 'post_attempted'))`,
  );

  // Needs reconciliation: why, and what the buyer of each unanswered post really did.
  const reconcile = await db.query<{ id: string; reason: string | null }>(
    `SELECT id, decision->>'reason' AS reason FROM leads WHERE state = 'needs_reconciliation'`,
  );
  const unknown = await db.query<{ lead_id: string; channel_id: string; state: string }>(
    `SELECT a.lead_id, a.channel_id, a.state FROM post_attempts a JOIN leads l ON l.id = a.lead_id
     WHERE l.state = 'needs_reconciliation' AND a.state IN ('attempted', 'timeout', 'pending')`,
  );
  const recordedBy = new Map(input.recorded.filter((p) => p.leadId).map((p) => [`${p.leadId}|${p.buyer}`, p]));
  const unknownPosts = tally(
    unknown.rows.map((a) => {
      const post = recordedBy.get(`${a.lead_id}|${buyerOfChannel.get(a.channel_id)}`);
      const truth = !post ? 'never reached the buyer' : post.bought ? 'buyer bought' : 'buyer refused';
      return `${a.state}: ${truth}`;
    }),
  );

  // Buyer bought, platform says otherwise.
  const attempts = await db.query<{ lead_id: string; channel_id: string; state: string; lead_state: string }>(
    `SELECT a.lead_id, a.channel_id, a.state, l.state AS lead_state FROM post_attempts a JOIN leads l ON l.id = a.lead_id`,
  );
  const attemptBy = new Map(attempts.rows.map((a) => [`${a.lead_id}|${buyerOfChannel.get(a.channel_id)}`, a]));
  const boughtNotRecorded = tally(
    bought
      .map((p) => attemptBy.get(`${p.leadId}|${p.buyer}`))
      .filter((a) => a === undefined || a.state !== 'accepted')
      .map((a) => (a ? `${a.state} / lead ${a.lead_state}` : 'no post attempt')),
  );

  const capOver = Math.max(0, cappedAccepted - input.dailyCap, cappedBought - input.dailyCap, maxUsed - input.dailyCap);
  return {
    notTerminal: {
      count: open.rows.length,
      byState: tally(open.rows.map((r) => r.state)),
      examples: open.rows.slice(0, 5).map((r) => r.id),
    },
    doubleSold: {
      count: new Set([...twiceInDb, ...twiceBought, ...postedAfterBought]).size + Math.max(resentRecorder, resentSim),
      fromPostAttempts: twiceInDb.length,
      boughtByTwoBuyers: twiceBought.length,
      postedAfterBought: postedAfterBought.length,
      postedTwiceToOneBuyer: { recorder: resentRecorder, simRequestLog: resentSim },
      examples: [...twiceInDb, ...twiceBought, ...postedAfterBought].slice(0, 5),
    },
    capOvershoot: {
      count: capOver,
      cap: input.dailyCap,
      acceptedPostAttempts: cappedAccepted,
      boughtByCappedBuyer: cappedBought,
      maxWindowUsedCount: maxUsed,
      stillReserved,
    },
    lostEvents: {
      count: missingReceived.length + missingFinished.length + silentPosts.rows.length,
      acceptedMissingReceived: missingReceived.length,
      acceptedMissingFinished: missingFinished.length,
      postAttemptsWithoutEvent: silentPosts.rows.length,
      examples: [
        ...missingReceived.map((id) => `${id} received`),
        ...missingFinished.map((id) => `${id} finished`),
        ...silentPosts.rows.map((r) => `${r.lead_id} post to ${buyerOfChannel.get(r.channel_id)}`),
      ].slice(0, 5),
    },
    leadsInDb: states.rows.reduce((sum, r) => sum + r.n, 0),
    finalStates,
    needsReconciliation: {
      count: reconcile.rows.length,
      reasons: tally(reconcile.rows.map((r) => r.reason ?? '(none)')),
      unknownPosts,
    },
    boughtNotRecorded,
    buyerPosts: {
      recorder: input.recorded.length,
      simRequestLog: input.simPosts.length,
      bought: bought.length,
      answersLost: input.recorded.filter((p) => p.answerLost).length,
    },
  };
}

/** The guarantees that must hold: each count must be 0. */
export function violations(f: Findings): { notTerminal: number; doubleSold: number; capOvershoot: number; lostEvents: number } {
  return {
    notTerminal: f.notTerminal.count,
    doubleSold: f.doubleSold.count,
    capOvershoot: f.capOvershoot.count,
    lostEvents: f.lostEvents.count,
  };
}

/** Posts are sent one after another, so a post that arrived after a purchase was sent after it. */
function leadsPostedAfterBought(posts: RecordedPost[]): string[] {
  const firstPurchase = new Map<string, number>();
  for (const p of posts) {
    if (p.bought && p.leadId && p.receivedAt < (firstPurchase.get(p.leadId) ?? Infinity))
      firstPurchase.set(p.leadId, p.receivedAt);
  }
  const leads = new Set<string>();
  for (const p of posts) {
    const boughtAt = p.leadId ? firstPurchase.get(p.leadId) : undefined;
    if (boughtAt !== undefined && p.receivedAt > boughtAt) leads.add(p.leadId!);
  }
  return [...leads];
}

export function tally(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

function localDay(timeZone: string): (at: Date) => string {
  const format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (at) => format.format(at);
}

/** The largest count of any one key (0 for none). */
function maxPerKey(keys: string[]): number {
  return Math.max(0, ...Object.values(tally(keys)));
}

function countOver(keys: string[], limit = 1): string[] {
  return Object.entries(tally(keys))
    .filter(([, n]) => n > limit)
    .map(([k]) => k);
}

function groupDistinct(pairs: Array<[string, string]>): Map<string, Set<string>> {
  const groups = new Map<string, Set<string>>();
  for (const [key, value] of pairs) {
    const set = groups.get(key) ?? new Set<string>();
    set.add(value);
    groups.set(key, set);
  }
  return groups;
}
