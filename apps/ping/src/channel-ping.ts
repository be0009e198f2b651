import type { Bid, BuyerCall, Channel, PingLead } from '@pingtree/contracts';
import { answerExcerpt, buildRequest, readPingAnswer, type BuyerHttpClient, redactSecrets } from '@pingtree/buyer-protocol';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { pingDuration, spansRecorded } from '@pingtree/telemetry';
import type { ChannelCircuits } from './channel-circuits.service';

// Looked up per use: a tracer taken at load time would miss a provider registered later (tests).
const tracer = () => trace.getTracer('pingtree-ping');

/** Below this a ping can't usefully go out; the channel is logged as skipped_no_time. */
export const MIN_PING_BUDGET_MS = 10;

const EXCERPT_CHARS = 300;

export interface PingedChannel {
  bid: Bid;
  /** What was sent (never contact data: it is built from the ping lead only) and what came back. */
  requestBody: string | undefined;
  answerExcerpt: string;
}

/** A bid with nothing from the buyer yet; outcomes fill it in. */
function noAnswer(channelId: string, outcome: Bid['outcome'], reason: string | null = null): Bid {
  return { channelId, outcome, price: null, buyerRef: null, reason, expiresAt: null, httpStatus: null, ms: 0 };
}

/** Pings one channel within its budget and reads the answer with the channel's rules. */
export async function pingChannel(
  http: BuyerHttpClient,
  circuits: ChannelCircuits,
  channel: Channel,
  lead: PingLead,
  budgetMs: number,
): Promise<PingedChannel> {
  if (!channel.ping) {
    return {
      bid: { ...noAnswer(channel.id, 'post_only'), price: channel.fixedPrice ?? 0 },
      requestBody: undefined,
      answerExcerpt: '',
    };
  }
  const budget = Math.min(channel.pingTimeoutMs, budgetMs);
  if (budget < MIN_PING_BUDGET_MS) {
    return {
      bid: noAnswer(channel.id, 'skipped_no_time', `${Math.max(0, Math.round(budgetMs))} ms left`),
      requestBody: undefined,
      answerExcerpt: '',
    };
  }
  const blocked = circuits.blocked(channel);
  if (blocked) return { bid: noAnswer(channel.id, 'circuit_open', blocked), requestBody: undefined, answerExcerpt: '' };
  const call = channel.ping;
  if (!spansRecorded()) return pingAndRecord(http, circuits, channel, call, lead, budget);
  // One span per buyer call when spans are exported, so a trace shows which buyer was slow and what it answered.
  return tracer().startActiveSpan(
    `ping ${channel.name}`,
    { kind: SpanKind.CLIENT, attributes: { 'pingtree.channel_id': channel.id } },
    async (span) => {
      const pinged = await pingAndRecord(http, circuits, channel, call, lead, budget);
      span.setAttributes({ 'pingtree.outcome': pinged.bid.outcome, 'http.response.status_code': pinged.bid.httpStatus ?? 0 });
      if (pinged.bid.price !== null) span.setAttribute('pingtree.bid', pinged.bid.price);
      if (pinged.bid.outcome !== 'bid' && pinged.bid.outcome !== 'rejected')
        span.setStatus({ code: SpanStatusCode.ERROR, message: pinged.bid.reason ?? pinged.bid.outcome });
      span.end();
      return pinged;
    },
  );
}

/** The call, then what every answer feeds: the channel's circuit and the latency histogram. */
async function pingAndRecord(
  http: BuyerHttpClient,
  circuits: ChannelCircuits,
  channel: Channel,
  call: BuyerCall,
  lead: PingLead,
  budget: number,
): Promise<PingedChannel> {
  const pinged = await send(http, channel, call, lead, budget);
  circuits.record(channel, pinged.bid.outcome, pinged.bid.reason);
  pingDuration.observe({ channel: channel.id, outcome: pinged.bid.outcome }, pinged.bid.ms / 1000);
  return pinged;
}

async function send(
  http: BuyerHttpClient,
  channel: Channel,
  call: BuyerCall,
  lead: PingLead,
  budget: number,
): Promise<PingedChannel> {
  const req = buildRequest(call, lead);
  // What the trail keeps: the body (or query string) as sent, credentials blanked out.
  const sent = redactSecrets(req.body ?? new URL(req.url).search.slice(1), call);
  const res = await http.send(req, budget);
  const ms = Math.round(res.ms * 100) / 100;
  const excerpt = answerExcerpt(res.body, EXCERPT_CHARS);
  if (res.kind !== 'answered') {
    const outcome = res.kind === 'timeout' ? 'timeout' : 'error';
    return { bid: { ...noAnswer(channel.id, outcome, res.error), ms }, requestBody: sent, answerExcerpt: excerpt };
  }
  const answer = readPingAnswer(call.response, res.status!, res.body);
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
    requestBody: sent,
    answerExcerpt: excerpt,
  };
}
