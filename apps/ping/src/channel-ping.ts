import type { Bid, Channel, PingLead } from '@pingtree/contracts';
import { buildRequest, readAnswer, type BuyerHttpClient } from '@pingtree/buyer-protocol';

/** Below this a ping can't usefully go out; the channel is logged as skipped_no_time. */
export const MIN_PING_BUDGET_MS = 10;

const EXCERPT_CHARS = 300;

export interface PingedChannel {
  bid: Bid;
  /** What was sent (never contact data: it is built from the ping lead only) and what came back. */
  requestBody: string | undefined;
  answerExcerpt: string;
}

/** Pings one channel within its budget and reads the answer with the channel's rules. */
export async function pingChannel(
  http: BuyerHttpClient,
  channel: Channel,
  lead: PingLead,
  budgetMs: number,
): Promise<PingedChannel> {
  const base = { channelId: channel.id, price: null, buyerRef: null, reason: null, expiresAt: null, httpStatus: null, ms: 0 };
  if (!channel.ping) {
    return { bid: { ...base, outcome: 'post_only', price: channel.fixedPrice ?? 0 }, requestBody: undefined, answerExcerpt: '' };
  }
  const budget = Math.min(channel.pingTimeoutMs, budgetMs);
  if (budget < MIN_PING_BUDGET_MS) {
    return {
      bid: { ...base, outcome: 'skipped_no_time', reason: `${Math.max(0, Math.round(budgetMs))} ms left` },
      requestBody: undefined,
      answerExcerpt: '',
    };
  }
  const req = buildRequest(channel.ping, lead);
  const res = await http.send(req, budget);
  const ms = Math.round(res.ms * 100) / 100;
  const answerExcerpt = res.body.slice(0, EXCERPT_CHARS);
  if (res.kind !== 'answered') {
    const outcome = res.kind === 'timeout' ? 'timeout' : 'error';
    return { bid: { ...base, outcome, reason: res.error, ms }, requestBody: req.body, answerExcerpt };
  }
  const answer = readAnswer(channel.ping.response, res.status!, res.body);
  const outcome =
    answer.verdict === 'accepted' ? (answer.price !== null && answer.price > 0 ? 'bid' : 'rejected') : answer.verdict;
  const reason = answer.verdict === 'accepted' && outcome === 'rejected' ? 'accepted without a price' : answer.reason;
  return {
    bid: {
      channelId: channel.id,
      outcome,
      price: answer.price,
      buyerRef: answer.buyerRef,
      reason,
      expiresAt: answer.expiresInSeconds !== null ? Date.now() + answer.expiresInSeconds * 1000 : null,
      httpStatus: res.status,
      ms,
    },
    requestBody: req.body,
    answerExcerpt,
  };
}
