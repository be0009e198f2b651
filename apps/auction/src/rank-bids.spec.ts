import { channelConfigSchema, type Bid, type Channel, type PingOutcome } from '@pingtree/contracts';
import { rankBids, type RankInput } from './rank-bids';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const D = '00000000-0000-4000-8000-00000000000d';

const AUCTION_RULE = 'auction: highest price';
const TIE_RULE = 'auction: highest price (tie broken by priority, then answer time, then channel id)';

function channel(id: string, priority = 0): Channel {
  const config = channelConfigSchema.parse({
    name: `channel ${id.slice(-1)}`,
    buyerId: '00000000-0000-4000-8000-000000000100',
    ping: null,
    post: { url: 'https://buyer.example.com/post', response: { accept: { path: 'ok', values: ['true'] } } },
    fixedPrice: 10,
    priority,
  });
  return { ...config, id };
}

function bid(channelId: string, price: number | null, extra: Partial<Bid> = {}): Bid {
  return {
    channelId,
    outcome: 'bid',
    price,
    buyerRef: `ref-${channelId.slice(-1)}`,
    reason: null,
    expiresAt: null,
    httpStatus: 200,
    ms: 100,
    ...extra,
  };
}

function rank(
  bids: Bid[],
  options: { logic?: RankInput['logic']; priceFloor?: number; priorities?: Record<string, number> } = {},
) {
  const priorities = options.priorities ?? {};
  return rankBids({
    logic: options.logic ?? 'auction',
    priceFloor: options.priceFloor ?? 0,
    bids,
    channel: (id) => (id in priorities ? channel(id, priorities[id]) : undefined),
  });
}

function order(bids: Bid[], options: Parameters<typeof rank>[1] = {}): string[] {
  return rank(bids, options).candidates.map((c) => c.channelId);
}

describe('rankBids: auction', () => {
  it.each<[string, Bid[], string[]]>([
    ['already in order', [bid(A, 30), bid(B, 20), bid(C, 10)], [A, B, C]],
    ['reversed', [bid(A, 10), bid(B, 20), bid(C, 30)], [C, B, A]],
    ['mixed', [bid(A, 20), bid(B, 35.5), bid(C, 5), bid(D, 35)], [B, D, A, C]],
    ['cents apart', [bid(A, 10.01), bid(B, 10.02)], [B, A]],
    ['single bid', [bid(A, 1)], [A]],
    ['no bids', [], []],
  ])('orders by price, highest first (%s)', (_label, bids, expected) => {
    expect(order(bids)).toEqual(expected);
  });

  it('builds candidates with rank 1..n and the bid details', () => {
    const { candidates, passedOver } = rank([
      bid(A, 10, { buyerRef: 'a-ref', expiresAt: 1_700_000_000_000 }),
      bid(B, 25, { buyerRef: null }),
    ]);
    expect(passedOver).toEqual([]);
    expect(candidates).toEqual([
      { channelId: B, price: 25, buyerRef: null, expiresAt: null, rank: 1, rule: AUCTION_RULE },
      { channelId: A, price: 10, buyerRef: 'a-ref', expiresAt: 1_700_000_000_000, rank: 2, rule: AUCTION_RULE },
    ]);
  });

  describe('ties', () => {
    it('breaks a price tie by channel priority, higher first', () => {
      const bids = [bid(A, 20, { ms: 10 }), bid(B, 20, { ms: 500 })];
      expect(order(bids, { priorities: { [A]: 1, [B]: 5 } })).toEqual([B, A]);
    });

    it('breaks a price and priority tie by answer time, faster first', () => {
      const bids = [bid(A, 20, { ms: 250 }), bid(B, 20, { ms: 40 })];
      expect(order(bids, { priorities: { [A]: 3, [B]: 3 } })).toEqual([B, A]);
    });

    it('breaks a price, priority and answer-time tie by channel id', () => {
      const bids = [bid(C, 20, { ms: 80 }), bid(A, 20, { ms: 80 }), bid(B, 20, { ms: 80 })];
      expect(order(bids, { priorities: { [A]: 1, [B]: 1, [C]: 1 } })).toEqual([A, B, C]);
    });

    it('treats a channel it cannot find as priority 0', () => {
      // B is unknown (priority 0), A has priority -1, C has priority 1.
      const bids = [bid(A, 20, { ms: 1 }), bid(B, 20, { ms: 500 }), bid(C, 20, { ms: 900 })];
      expect(order(bids, { priorities: { [A]: -1, [C]: 1 } })).toEqual([C, B, A]);
    });

    it('lets price win over priority and answer time', () => {
      const bids = [bid(A, 19.99, { ms: 1 }), bid(B, 20, { ms: 900 })];
      expect(order(bids, { priorities: { [A]: 100, [B]: 0 } })).toEqual([B, A]);
    });

    it('lets priority win over answer time and channel id', () => {
      const bids = [bid(A, 20, { ms: 1 }), bid(B, 20, { ms: 900 })];
      expect(order(bids, { priorities: { [A]: 1, [B]: 2 } })).toEqual([B, A]);
    });

    it('lets answer time win over channel id', () => {
      const bids = [bid(A, 20, { ms: 300 }), bid(B, 20, { ms: 299.5 })];
      expect(order(bids)).toEqual([B, A]);
    });

    it('mentions the tie-break only on candidates that tie on price', () => {
      const { candidates } = rank([bid(A, 10), bid(B, 20, { ms: 50 }), bid(C, 20, { ms: 60 })]);
      expect(candidates.map((c) => [c.channelId, c.rank, c.rule])).toEqual([
        [B, 1, TIE_RULE],
        [C, 2, TIE_RULE],
        [A, 3, AUCTION_RULE],
      ]);
    });

    it('does not mention the tie-break when no prices tie', () => {
      const { candidates } = rank([bid(A, 10), bid(B, 20), bid(C, 30)]);
      expect(candidates.map((c) => c.rule)).toEqual([AUCTION_RULE, AUCTION_RULE, AUCTION_RULE]);
    });

    it('does not count a passed-over bid at the same price as a tie', () => {
      const { candidates } = rank([bid(A, 20), bid(B, 20, { outcome: 'timeout' })]);
      expect(candidates.map((c) => c.rule)).toEqual([AUCTION_RULE]);
    });
  });
});

describe('rankBids: waterfall', () => {
  it('keeps the order the bids arrive in, whatever the price', () => {
    const { candidates } = rank([bid(A, 5, { ms: 900 }), bid(B, 50, { ms: 10 }), bid(C, 20)], {
      logic: 'waterfall',
      priorities: { [A]: 0, [B]: 10, [C]: 5 },
    });
    expect(candidates.map((c) => [c.channelId, c.rank, c.rule])).toEqual([
      [A, 1, 'waterfall: tier order'],
      [B, 2, 'waterfall: tier order'],
      [C, 3, 'waterfall: tier order'],
    ]);
  });

  it('never mentions a tie-break, even on equal prices', () => {
    const { candidates } = rank([bid(B, 20), bid(A, 20)], { logic: 'waterfall' });
    expect(candidates.map((c) => [c.channelId, c.rule])).toEqual([
      [B, 'waterfall: tier order'],
      [A, 'waterfall: tier order'],
    ]);
  });

  it('still applies the floor and leaves out non-bids, keeping the order of the rest', () => {
    const result = rank([bid(D, 50), bid(A, 5), bid(B, null, { outcome: 'rejected' }), bid(C, 15)], {
      logic: 'waterfall',
      priceFloor: 10,
    });
    expect(result.candidates.map((c) => c.channelId)).toEqual([D, C]);
    expect(result.passedOver).toEqual([
      { channelId: A, reason: 'bid too low (floor 10)' },
      { channelId: B, reason: 'rejected' },
    ]);
  });
});

describe('rankBids: floor and passed-over bids', () => {
  it.each<[string, number | null, number, boolean]>([
    ['priced below the floor', 9.99, 10, false],
    ['priced at the floor', 10, 10, true],
    ['priced above the floor', 10.01, 10, true],
    ['priced zero with no floor', 0, 0, true],
    ['without a price', null, 0, false],
    ['without a price, with a floor', null, 5, false],
  ])('a bid %s (price %p, floor %p) is a candidate: %p', (_label, price, priceFloor, isCandidate) => {
    const result = rank([bid(A, price)], { priceFloor });
    expect(result.candidates.map((c) => c.channelId)).toEqual(isCandidate ? [A] : []);
    expect(result.passedOver).toEqual(isCandidate ? [] : [{ channelId: A, reason: `bid too low (floor ${priceFloor})` }]);
  });

  it.each<[PingOutcome]>([['rejected'], ['timeout'], ['error'], ['unparseable'], ['skipped_no_time']])(
    'passes over a %s outcome with the outcome as reason, even with a price',
    (outcome) => {
      const result = rank([bid(A, 100, { outcome }), bid(B, 10)], { priceFloor: 50 });
      expect(result.candidates).toEqual([]);
      expect(result.passedOver).toEqual([
        { channelId: A, reason: outcome },
        { channelId: B, reason: 'bid too low (floor 50)' },
      ]);
    },
  );

  it('keeps passed-over bids in the order they arrived', () => {
    const result = rank([bid(C, null, { outcome: 'timeout' }), bid(A, 1), bid(D, 30), bid(B, null, { outcome: 'error' })], {
      priceFloor: 2,
    });
    expect(result.passedOver.map((p) => p.channelId)).toEqual([C, A, B]);
    expect(result.candidates.map((c) => c.channelId)).toEqual([D]);
  });

  it('ranks a post_only bid at its fixed price among the bids', () => {
    const result = rank([bid(A, 10), bid(B, 25, { outcome: 'post_only', httpStatus: null, ms: 0 }), bid(C, 30)]);
    expect(result.candidates.map((c) => [c.channelId, c.price, c.rank])).toEqual([
      [C, 30, 1],
      [B, 25, 2],
      [A, 10, 3],
    ]);
    expect(result.passedOver).toEqual([]);
  });

  it('passes over a post_only bid whose fixed price is under the floor', () => {
    const result = rank([bid(A, 5, { outcome: 'post_only' })], { priceFloor: 6 });
    expect(result.candidates).toEqual([]);
    expect(result.passedOver).toEqual([{ channelId: A, reason: 'bid too low (floor 6)' }]);
  });

  it('does not change the bids it is given', () => {
    const bids = [bid(A, 10), bid(B, 20), bid(C, null, { outcome: 'rejected' })];
    const copy = structuredClone(bids);
    rank(bids, { priceFloor: 15 });
    expect(bids).toEqual(copy);
  });
});
