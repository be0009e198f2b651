import type { Bid, Candidate, Channel } from '@pingtree/contracts';

export interface RankInput {
  logic: 'auction' | 'waterfall';
  priceFloor: number;
  bids: Bid[];
  channel: (id: string) => Channel | undefined;
}

export interface Ranking {
  candidates: Candidate[];
  passedOver: Array<{ channelId: string; reason: string }>;
}

/**
 * Orders the acceptors of one tier.
 * - auction: highest price first. Ties: higher channel priority, then faster answer, then channel id.
 * - waterfall: the tier's channel order (the order bids arrive in), whatever the price.
 * Bids under the floor are passed over as "bid too low".
 */
export function rankBids(input: RankInput): Ranking {
  const passedOver: Ranking['passedOver'] = [];
  const acceptors: Array<{ bid: Bid & { price: number }; order: number }> = [];
  input.bids.forEach((bid, order) => {
    if (bid.outcome !== 'bid' && bid.outcome !== 'post_only') {
      passedOver.push({ channelId: bid.channelId, reason: bid.outcome });
    } else if (bid.price === null || bid.price < input.priceFloor) {
      passedOver.push({ channelId: bid.channelId, reason: `bid too low (floor ${input.priceFloor})` });
    } else {
      acceptors.push({ bid: { ...bid, price: bid.price }, order });
    }
  });
  const priority = (id: string) => input.channel(id)?.priority ?? 0;
  if (input.logic === 'auction') {
    acceptors.sort(
      (a, b) =>
        b.bid.price - a.bid.price ||
        priority(b.bid.channelId) - priority(a.bid.channelId) ||
        a.bid.ms - b.bid.ms ||
        a.bid.channelId.localeCompare(b.bid.channelId),
    );
  } else {
    acceptors.sort((a, b) => a.order - b.order);
  }
  const candidates = acceptors.map(({ bid }, i): Candidate => {
    const tie = input.logic === 'auction' && acceptors.some((o) => o.bid !== bid && o.bid.price === bid.price);
    return {
      channelId: bid.channelId,
      price: bid.price,
      buyerRef: bid.buyerRef,
      expiresAt: bid.expiresAt,
      rank: i + 1,
      rule:
        input.logic === 'auction'
          ? `auction: highest price${tie ? ' (tie broken by priority, then answer time, then channel id)' : ''}`
          : 'waterfall: tier order',
    };
  });
  return { candidates, passedOver };
}
