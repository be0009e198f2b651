import type { Bid, Candidate, Channel, Margin, Tier } from '@pingtree/contracts';

export interface RankInput {
  tier: Tier;
  /** The highest of the tier's, campaign's and supplier's floors, compared with effective bids. */
  priceFloor: number;
  margin: Margin;
  bids: Bid[];
  channel: (id: string) => Channel | undefined;
  /** Observed post acceptance rate (0..1) per channel, for expected-value waterfalls. */
  acceptanceRate: (channelId: string) => number;
  /** Shared round-robin cursor for this tier (round_robin waterfalls). */
  rotation: number;
  /** Uniform [0, 1), seeded per lead so replicas agree (weighted waterfalls). */
  random: () => number;
}

export interface Ranking {
  candidates: Candidate[];
  passedOver: Array<{ channelId: string; reason: string }>;
}

interface Acceptor {
  bid: Bid & { price: number };
  effectiveBid: number;
  priority: number;
  weight: number;
  /** Position in the tier's channel list. */
  order: number;
}

const cents = (n: number) => Math.round(n * 100) / 100;
const centsUp = (n: number) => Math.ceil(Math.round(n * 1e6) / 1e4) / 100;

export function payoutAfterMargin(price: number, margin: Margin): number {
  const payout = margin.type === 'percent' ? price * (1 - margin.value / 100) : price - margin.value;
  return Math.max(0, cents(payout));
}

/**
 * Auction tie rule, written down: higher effective bid, then higher channel priority, then earlier
 * in the tier's channel list (operator-controlled), then channel id. Deterministic: answer times
 * never decide, so the same bids always rank the same way.
 */
function byAuctionRule(a: Acceptor, b: Acceptor): number {
  return (
    b.effectiveBid - a.effectiveBid ||
    b.priority - a.priority ||
    a.order - b.order ||
    a.bid.channelId.localeCompare(b.bid.channelId)
  );
}

function byTierOrder(a: Acceptor, b: Acceptor): number {
  return b.priority - a.priority || a.order - b.order;
}

/** Channels of equal priority take turns: the group is rotated by the shared cursor. */
function roundRobin(acceptors: Acceptor[], rotation: number): Acceptor[] {
  const groups = new Map<number, Acceptor[]>();
  for (const a of [...acceptors].sort(byTierOrder)) groups.set(a.priority, [...(groups.get(a.priority) ?? []), a]);
  return [...groups.values()].flatMap((group) => {
    const shift = rotation % group.length;
    return [...group.slice(shift), ...group.slice(0, shift)];
  });
}

/** Equal-priority channels are drawn without replacement in proportion to their weight. */
function weighted(acceptors: Acceptor[], random: () => number): Acceptor[] {
  const groups = new Map<number, Acceptor[]>();
  for (const a of [...acceptors].sort(byTierOrder)) groups.set(a.priority, [...(groups.get(a.priority) ?? []), a]);
  return [...groups.values()].flatMap((group) => {
    const left = [...group];
    const drawn: Acceptor[] = [];
    while (left.length > 0) {
      let ticket = random() * left.reduce((sum, a) => sum + a.weight, 0);
      const index = left.findIndex((a) => (ticket -= a.weight) < 0);
      drawn.push(...left.splice(index === -1 ? left.length - 1 : index, 1));
    }
    return drawn;
  });
}

function order(acceptors: Acceptor[], input: RankInput): { ordered: Acceptor[]; rule: (a: Acceptor, tie: boolean) => string } {
  const { tier } = input;
  if (tier.logic !== 'waterfall') {
    const what = tier.logic === 'auction' ? 'auction' : tier.logic === 'shared' ? 'shared' : 'choice';
    return {
      ordered: [...acceptors].sort(byAuctionRule),
      rule: (_a, tie) => `${what}: highest effective bid${tie ? ' (tie: priority, then tier order)' : ''}`,
    };
  }
  switch (tier.order) {
    case 'priority':
      return { ordered: [...acceptors].sort(byTierOrder), rule: () => 'waterfall: priority, then tier order' };
    case 'expected_value': {
      const ev = (a: Acceptor) => a.effectiveBid * input.acceptanceRate(a.bid.channelId);
      return {
        ordered: [...acceptors].sort((a, b) => ev(b) - ev(a) || byTierOrder(a, b)),
        rule: (a) =>
          `waterfall: expected value ${cents(ev(a))} (bid × post acceptance ${input.acceptanceRate(a.bid.channelId).toFixed(2)})`,
      };
    }
    case 'round_robin':
      return {
        ordered: roundRobin(acceptors, input.rotation),
        rule: () => `waterfall: round robin among equal priority (turn ${input.rotation})`,
      };
    case 'weighted':
      return {
        ordered: weighted(acceptors, input.random),
        rule: (a) => `waterfall: weighted draw among equal priority (weight ${a.weight})`,
      };
  }
}

/**
 * Orders one tier's acceptors by its logic and prices them. Bids under the floor are passed over
 * as "bid too low". Second price: each candidate pays just above the next one (or the floor),
 * never more than it bid.
 */
export function rankBids(input: RankInput): Ranking {
  const passedOver: Ranking['passedOver'] = [];
  const acceptors: Acceptor[] = [];
  const position = new Map(input.tier.channelIds.map((id, i) => [id, i]));
  input.bids.forEach((bid, i) => {
    if (bid.outcome !== 'bid' && bid.outcome !== 'post_only') {
      passedOver.push({ channelId: bid.channelId, reason: bid.outcome });
      return;
    }
    if (bid.price === null) {
      passedOver.push({ channelId: bid.channelId, reason: 'accepted without a price' });
      return;
    }
    const channel = input.channel(bid.channelId);
    const effectiveBid = cents(bid.price * (1 + (channel?.bidAdjustmentPercent ?? 0) / 100));
    if (effectiveBid < input.priceFloor) {
      passedOver.push({ channelId: bid.channelId, reason: `bid too low (${effectiveBid} < floor ${input.priceFloor})` });
      return;
    }
    acceptors.push({
      bid: { ...bid, price: bid.price },
      effectiveBid,
      priority: channel?.priority ?? 0,
      weight: channel?.weight ?? 1,
      order: position.get(bid.channelId) ?? input.tier.channelIds.length + i,
    });
  });
  const { ordered, rule } = order(acceptors, input);
  const secondPrice = input.tier.logic === 'auction' && input.tier.pricing === 'second_price';
  const candidates = ordered.map((a, i): Candidate => {
    let price = a.bid.price;
    if (secondPrice) {
      const next = ordered[i + 1]?.effectiveBid ?? 0;
      const adjustment = 1 + (input.channel(a.bid.channelId)?.bidAdjustmentPercent ?? 0) / 100;
      // Rounded up, so after the adjustment it still beats the next bid.
      price = Math.min(a.bid.price, centsUp((Math.max(next, input.priceFloor) + 0.01) / (adjustment || 1)));
    }
    const tie = acceptors.some((o) => o !== a && o.effectiveBid === a.effectiveBid);
    return {
      channelId: a.bid.channelId,
      price,
      effectiveBid: a.effectiveBid,
      payout: payoutAfterMargin(price, input.margin),
      buyerRef: a.bid.buyerRef,
      expiresAt: a.bid.expiresAt,
      rank: i + 1,
      rule: rule(a, tie) + (secondPrice ? `; second price ${price} (bid ${a.bid.price})` : ''),
    };
  });
  return { candidates, passedOver };
}
