import {
  channelConfigSchema,
  tierSchema,
  type Bid,
  type Channel,
  type Margin,
  type PingOutcome,
  type Tier,
} from '@pingtree/contracts';
import { rankBids } from './rank-bids';
import { seededRandom } from './seeded-random';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';
const C = '00000000-0000-4000-8000-00000000000c';
const D = '00000000-0000-4000-8000-00000000000d';

type ChannelTraits = Partial<Pick<Channel, 'priority' | 'weight' | 'bidAdjustmentPercent'>>;

interface Options {
  tier?: Partial<Tier>;
  priceFloor?: number;
  margin?: Margin;
  /** Channels the catalogue knows; any other id is unknown (undefined). */
  channels?: Record<string, ChannelTraits>;
  acceptance?: Record<string, number>;
  rotation?: number;
  random?: () => number;
}

function channel(id: string, traits: ChannelTraits): Channel {
  const config = channelConfigSchema.parse({
    name: `channel ${id.slice(-1)}`,
    buyerId: '00000000-0000-4000-8000-000000000100',
    ping: null,
    post: { url: 'https://buyer.example.com/post', response: { accept: { path: 'ok', values: ['true'] } } },
    fixedPrice: 10,
    ...traits,
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

function rank(bids: Bid[], options: Options = {}) {
  const tier = tierSchema.parse({ name: 'tier', logic: 'auction', channelIds: [A, B, C, D], ...options.tier });
  const channels = new Map(Object.entries(options.channels ?? {}).map(([id, traits]) => [id, channel(id, traits)]));
  return rankBids({
    tier,
    priceFloor: options.priceFloor ?? 0,
    margin: options.margin ?? { type: 'percent', value: 0 },
    bids,
    channel: (id) => channels.get(id),
    acceptanceRate: (id) => options.acceptance?.[id] ?? 0,
    rotation: options.rotation ?? 0,
    random:
      options.random ??
      (() => {
        throw new Error('random() must only be used by weighted waterfalls');
      }),
  });
}

function order(bids: Bid[], options: Options = {}): string[] {
  return rank(bids, options).candidates.map((c) => c.channelId);
}

const RANKED_LOGICS = ['auction', 'shared', 'choice'] as const;
const TIE_BREAK = '(tie: priority, then tier order)';

describe.each(RANKED_LOGICS)('rankBids: %s orders by effective bid', (logic) => {
  const tier = { logic };

  it.each<[string, Bid[], string[]]>([
    ['already in order', [bid(A, 30), bid(B, 20), bid(C, 10)], [A, B, C]],
    ['reversed', [bid(A, 10), bid(B, 20), bid(C, 30)], [C, B, A]],
    ['mixed', [bid(A, 20), bid(B, 35.5), bid(C, 5), bid(D, 35)], [B, D, A, C]],
    ['cents apart', [bid(A, 10.01), bid(B, 10.02)], [B, A]],
    ['single bid', [bid(A, 1)], [A]],
    ['no bids', [], []],
  ])('highest first (%s)', (_label, bids, expected) => {
    const { candidates } = rank(bids, { tier });
    expect(candidates.map((c) => c.channelId)).toEqual(expected);
    expect(candidates.map((c) => c.rank)).toEqual(expected.map((_id, i) => i + 1));
  });

  it('builds candidates with the bid details, price, effective bid and payout', () => {
    const { candidates, passedOver } = rank(
      [bid(A, 10, { buyerRef: 'a-ref', expiresAt: 1_700_000_000_000 }), bid(B, 25, { buyerRef: null })],
      { tier, margin: { type: 'percent', value: 10 } },
    );
    expect(passedOver).toEqual([]);
    expect(candidates).toEqual([
      {
        channelId: B,
        price: 25,
        effectiveBid: 25,
        payout: 22.5,
        buyerRef: null,
        expiresAt: null,
        rank: 1,
        rule: `${logic}: highest effective bid`,
      },
      {
        channelId: A,
        price: 10,
        effectiveBid: 10,
        payout: 9,
        buyerRef: 'a-ref',
        expiresAt: 1_700_000_000_000,
        rank: 2,
        rule: `${logic}: highest effective bid`,
      },
    ]);
  });

  describe('ties on effective bid', () => {
    it.each<[string, Bid[], Record<string, ChannelTraits>, string[]]>([
      [
        'higher priority first',
        [bid(A, 20, { ms: 10 }), bid(B, 20, { ms: 500 })],
        { [A]: { priority: 1 }, [B]: { priority: 5 } },
        [B, A],
      ],
      [
        'equal priority: earlier in the tier first, however fast the answers',
        [bid(A, 20, { ms: 250 }), bid(B, 20, { ms: 40 })],
        { [A]: { priority: 3 }, [B]: { priority: 3 } },
        [A, B],
      ],
      [
        'equal priority: tier order, not the order bids arrived in',
        [bid(C, 20, { ms: 80 }), bid(A, 20, { ms: 80 }), bid(B, 20, { ms: 80 })],
        { [A]: { priority: 1 }, [B]: { priority: 1 }, [C]: { priority: 1 } },
        [A, B, C],
      ],
      ['unknown channel counts as priority 0', [bid(A, 20, { ms: 1 }), bid(B, 20, { ms: 9 })], { [A]: { priority: -1 } }, [B, A]],
      ['effective bid beats priority', [bid(A, 19.99, { ms: 1 }), bid(B, 20, { ms: 900 })], { [A]: { priority: 100 } }, [B, A]],
      [
        'equal effective bids from different raw bids',
        [bid(A, 10, { ms: 50 }), bid(B, 9, { ms: 60 })],
        { [A]: { bidAdjustmentPercent: -10 }, [B]: { priority: 1 } },
        [B, A],
      ],
    ])('%s', (_label, bids, channels, expected) => {
      expect(order(bids, { tier, channels })).toEqual(expected);
    });

    it('mentions the tie-break only on candidates that tie', () => {
      const { candidates } = rank([bid(A, 10), bid(B, 20, { ms: 50 }), bid(C, 20, { ms: 60 })], { tier });
      expect(candidates.map((c) => [c.channelId, c.rule])).toEqual([
        [B, `${logic}: highest effective bid ${TIE_BREAK}`],
        [C, `${logic}: highest effective bid ${TIE_BREAK}`],
        [A, `${logic}: highest effective bid`],
      ]);
    });

    it('compares effective bids, not raw bids, to decide a tie', () => {
      const { candidates } = rank([bid(A, 10), bid(B, 10)], { tier, channels: { [A]: { bidAdjustmentPercent: 10 } } });
      expect(candidates.map((c) => c.rule)).toEqual([`${logic}: highest effective bid`, `${logic}: highest effective bid`]);
    });

    it('does not count a passed-over bid at the same price as a tie', () => {
      const { candidates } = rank([bid(A, 20), bid(B, 20, { outcome: 'timeout' }), bid(C, 20)], {
        tier,
        channels: { [C]: { bidAdjustmentPercent: -50 } },
        priceFloor: 15,
      });
      expect(candidates.map((c) => c.rule)).toEqual([`${logic}: highest effective bid`]);
    });
  });
});

describe('rankBids: bid adjustment', () => {
  it.each<[string, Bid[], Record<string, ChannelTraits>, Array<[string, number, number]>]>([
    [
      '10.00 at -20% loses to 9.00 at 0%',
      [bid(A, 10), bid(B, 9)],
      { [A]: { bidAdjustmentPercent: -20 }, [B]: { bidAdjustmentPercent: 0 } },
      [
        [B, 9, 9],
        [A, 10, 8],
      ],
    ],
    [
      '8.00 at +25% beats 9.50',
      [bid(B, 9.5), bid(A, 8)],
      { [A]: { bidAdjustmentPercent: 25 } },
      [
        [A, 8, 10],
        [B, 9.5, 9.5],
      ],
    ],
    ['rounds the effective bid to cents', [bid(A, 9.99)], { [A]: { bidAdjustmentPercent: 10 } }, [[A, 9.99, 10.99]]],
    ['unknown channel: no adjustment', [bid(A, 7.77)], {}, [[A, 7.77, 7.77]]],
  ])('%s (price stays the raw bid)', (_label, bids, channels, expected) => {
    const { candidates } = rank(bids, { channels });
    expect(candidates.map((c) => [c.channelId, c.price, c.effectiveBid])).toEqual(expected);
  });
});

describe('rankBids: floor and passed-over bids', () => {
  it.each<[string, number, number, number, string | null]>([
    ['below the floor', 9.99, 0, 10, 'bid too low'],
    ['at the floor', 10, 0, 10, null],
    ['above the floor', 10.01, 0, 10, null],
    ['zero with no floor', 0, 0, 0, null],
    ['raw bid over the floor, effective bid under it', 10, -20, 9, 'bid too low'],
    ['raw bid under the floor, effective bid over it', 8, 25, 10, null],
  ])(
    'a bid %s (price %p, adjustment %p%, floor %p) is passed over: %p',
    (_label, price, bidAdjustmentPercent, priceFloor, reason) => {
      const result = rank([bid(A, price)], { priceFloor, channels: { [A]: { bidAdjustmentPercent } } });
      expect(result.candidates.map((c) => c.channelId)).toEqual(reason === null ? [A] : []);
      expect(result.passedOver).toEqual(reason === null ? [] : [{ channelId: A, reason: expect.stringMatching(/^bid too low/) }]);
    },
  );

  it('says which effective bid was under which floor', () => {
    const result = rank([bid(A, 10)], { priceFloor: 9, channels: { [A]: { bidAdjustmentPercent: -20 } } });
    expect(result.passedOver).toEqual([{ channelId: A, reason: 'bid too low (8 < floor 9)' }]);
  });

  it.each<[PingOutcome]>([['rejected'], ['timeout'], ['error'], ['unparseable'], ['skipped_no_time']])(
    'passes over a %s outcome with the outcome as reason, even with a price',
    (outcome) => {
      const result = rank([bid(A, 100, { outcome }), bid(B, 20)], { priceFloor: 10 });
      expect(result.candidates.map((c) => c.channelId)).toEqual([B]);
      expect(result.passedOver).toEqual([{ channelId: A, reason: outcome }]);
    },
  );

  it.each<[PingOutcome]>([['bid'], ['post_only']])(
    'passes over a %s with price null as "accepted without a price"',
    (outcome) => {
      const result = rank([bid(A, null, { outcome }), bid(B, 20)]);
      expect(result.candidates.map((c) => c.channelId)).toEqual([B]);
      expect(result.passedOver).toEqual([{ channelId: A, reason: 'accepted without a price' }]);
    },
  );

  it('ranks a post_only bid at its fixed price among the bids', () => {
    const result = rank([bid(A, 10), bid(B, 25, { outcome: 'post_only', httpStatus: null, ms: 0 }), bid(C, 30)]);
    expect(result.candidates.map((c) => [c.channelId, c.price, c.rank])).toEqual([
      [C, 30, 1],
      [B, 25, 2],
      [A, 10, 3],
    ]);
    expect(result.passedOver).toEqual([]);
  });

  it('passes over a post_only bid under the floor', () => {
    const result = rank([bid(A, 5, { outcome: 'post_only' })], { priceFloor: 6 });
    expect(result.candidates).toEqual([]);
    expect(result.passedOver).toEqual([{ channelId: A, reason: expect.stringMatching(/^bid too low/) }]);
  });

  it('keeps passed-over bids in the order they arrived', () => {
    const result = rank(
      [bid(C, null, { outcome: 'timeout' }), bid(A, 1), bid(D, 30), bid(B, null), bid(B, 50, { outcome: 'error' })],
      { priceFloor: 2 },
    );
    expect(result.passedOver.map((p) => [p.channelId, p.reason.replace(/ \(.*/, '')])).toEqual([
      [C, 'timeout'],
      [A, 'bid too low'],
      [B, 'accepted without a price'],
      [B, 'error'],
    ]);
    expect(result.candidates.map((c) => c.channelId)).toEqual([D]);
  });

  it('does not change the bids it is given', () => {
    const bids = [bid(A, 10), bid(B, 20), bid(C, null, { outcome: 'rejected' })];
    const copy = structuredClone(bids);
    rank(bids, { priceFloor: 15, tier: { pricing: 'second_price' } });
    expect(bids).toEqual(copy);
  });
});

describe('rankBids: margin', () => {
  it.each<[string, Margin, number, number]>([
    ['no margin', { type: 'percent', value: 0 }, 10, 10],
    ['20 percent', { type: 'percent', value: 20 }, 10, 8],
    ['percent, rounded to cents', { type: 'percent', value: 15 }, 9.99, 8.49],
    ['a third, rounded to cents', { type: 'percent', value: 33.3333 }, 10, 6.67],
    ['100 percent', { type: 'percent', value: 100 }, 10, 0],
    ['more than 100 percent: never below 0', { type: 'percent', value: 150 }, 10, 0],
    ['fixed', { type: 'fixed', value: 2.5 }, 10, 7.5],
    ['fixed, rounded to cents', { type: 'fixed', value: 0.333 }, 10, 9.67],
    ['fixed equal to the price', { type: 'fixed', value: 10 }, 10, 0],
    ['fixed over the price: never below 0', { type: 'fixed', value: 15 }, 10, 0],
  ])('%s: %p on %p pays out %p', (_label, margin, price, payout) => {
    const [candidate] = rank([bid(A, price)], { margin }).candidates;
    expect(candidate.price).toBe(price);
    expect(candidate.payout).toBe(payout);
  });

  it('takes the margin from the price paid, not the effective bid', () => {
    const [candidate] = rank([bid(A, 10)], {
      margin: { type: 'percent', value: 10 },
      channels: { [A]: { bidAdjustmentPercent: 50 } },
    }).candidates;
    expect([candidate.price, candidate.effectiveBid, candidate.payout]).toEqual([10, 15, 9]);
  });

  it('takes the margin from the second price when the winner pays it', () => {
    const [winner] = rank([bid(A, 20), bid(B, 12)], {
      tier: { pricing: 'second_price' },
      margin: { type: 'fixed', value: 2 },
    }).candidates;
    expect([winner.price, winner.payout]).toEqual([12.01, 10.01]);
  });
});

describe('rankBids: auction pricing', () => {
  const secondPrice: Partial<Tier> = { logic: 'auction', pricing: 'second_price' };

  it.each<[string, Bid[], Omit<Options, 'tier'>, Array<[string, number]>]>([
    [
      'winner pays just above the runner-up',
      [bid(A, 20), bid(B, 12)],
      {},
      [
        [A, 12.01],
        [B, 0.01],
      ],
    ],
    [
      'each candidate pays just above the next one, or the floor',
      [bid(A, 20), bid(B, 12), bid(C, 7.5)],
      { priceFloor: 5 },
      [
        [A, 12.01],
        [B, 7.51],
        [C, 5.01],
      ],
    ],
    ['alone: just above the floor', [bid(A, 10)], { priceFloor: 5 }, [[A, 5.01]]],
    ['alone, no floor: one cent', [bid(A, 10)], {}, [[A, 0.01]]],
    ['runner-up under the floor does not count', [bid(A, 20), bid(B, 3)], { priceFloor: 5 }, [[A, 5.01]]],
    [
      'tie: never more than its own bid',
      [bid(A, 10), bid(B, 10, { ms: 200 })],
      {},
      [
        [A, 10],
        [B, 0.01],
      ],
    ],
    ['floor at its bid: never more than its own bid', [bid(A, 10)], { priceFloor: 10 }, [[A, 10]]],
    [
      'one cent apart: pays its own bid',
      [bid(A, 10.01), bid(B, 10)],
      {},
      [
        [A, 10.01],
        [B, 0.01],
      ],
    ],
    [
      "runner-up's effective bid, not its raw bid",
      [bid(A, 10), bid(B, 10)],
      { channels: { [B]: { bidAdjustmentPercent: -20 } } },
      [
        [A, 8.01],
        [B, 0.02], // 0.01 / 0.8 = 0.0125, rounded up so it still beats the floor after adjustment
      ],
    ],
    [
      "converted back to the winner's terms (+20%)",
      [bid(A, 10), bid(B, 9)],
      { channels: { [A]: { bidAdjustmentPercent: 20 } } },
      [
        [A, 7.51], // 9.01 / 1.2 = 7.508
        [B, 0.01],
      ],
    ],
    [
      "converted back to the winner's terms (-20%)",
      [bid(A, 20), bid(B, 10)],
      { channels: { [A]: { bidAdjustmentPercent: -20 } } },
      [
        [A, 12.52], // 10.01 / 0.8 = 12.5125, rounded up so it beats 10.00 after the -20%
        [B, 0.01],
      ],
    ],
    [
      "floor converted back to the winner's terms",
      [bid(A, 10)],
      { priceFloor: 4.99, channels: { [A]: { bidAdjustmentPercent: 25 } } },
      [[A, 4]], // 5.00 / 1.25
    ],
    [
      'rounded up: at +100% the winner still pays above the runner-up',
      [bid(A, 10), bid(B, 2)],
      { channels: { [A]: { bidAdjustmentPercent: 100 } } },
      [
        [A, 1.01], // 2.01 / 2 = 1.005 → 1.01, worth 2.02 > 2.00
        [B, 0.01],
      ],
    ],
  ])('second price: %s', (_label, bids, options, expected) => {
    const { candidates } = rank(bids, { ...options, tier: secondPrice });
    expect(candidates.map((c) => [c.channelId, c.price])).toEqual(expected);
  });

  it('second price: says what the winner pays and bid in the rule', () => {
    const [winner] = rank([bid(A, 20), bid(B, 12)], { tier: secondPrice }).candidates;
    expect(winner.rule).toBe('auction: highest effective bid; second price 12.01 (bid 20)');
  });

  it('first price (the default): the winner pays its own bid', () => {
    const { candidates } = rank([bid(A, 20), bid(B, 12)], { priceFloor: 5, channels: { [A]: { bidAdjustmentPercent: 20 } } });
    expect(candidates.map((c) => [c.channelId, c.price, c.effectiveBid, c.rule])).toEqual([
      [A, 20, 24, 'auction: highest effective bid'],
      [B, 12, 12, 'auction: highest effective bid'],
    ]);
  });

  it.each<[Tier['logic']]>([['shared'], ['choice'], ['waterfall']])('second price is ignored for %s tiers', (logic) => {
    const { candidates } = rank([bid(A, 20), bid(B, 12)], { tier: { logic, pricing: 'second_price' }, priceFloor: 5 });
    expect(candidates.map((c) => [c.channelId, c.price])).toEqual([
      [A, 20],
      [B, 12],
    ]);
    expect(candidates.every((c) => !c.rule.includes('second price'))).toBe(true);
  });
});

describe('rankBids: waterfall', () => {
  describe('order: priority (the default)', () => {
    it.each<[string, string[], Record<string, ChannelTraits>, string[]]>([
      ['tier order when priorities are equal', [A, B, C, D], {}, [A, B, C, D]],
      ['tier order, not arrival or id order', [C, A, D, B], {}, [C, A, D, B]],
      ['higher priority first', [A, B, C, D], { [C]: { priority: 2 }, [B]: { priority: 1 } }, [C, B, A, D]],
      [
        'priority, then tier order within a priority',
        [C, A, B, D],
        { [A]: { priority: 0 }, [B]: { priority: 5 }, [C]: { priority: 0 }, [D]: { priority: 5 } },
        [B, D, C, A],
      ],
    ])('%s', (_label, channelIds, channels, expected) => {
      // Prices rising towards the end of the tier: a price-based order would reverse it.
      const bids = [bid(A, 5, { ms: 900 }), bid(B, 50, { ms: 10 }), bid(C, 20), bid(D, 80)];
      const { candidates } = rank(bids, { tier: { logic: 'waterfall', channelIds }, channels });
      expect(candidates.map((c) => c.channelId)).toEqual(expected);
      expect(candidates.map((c) => c.rank)).toEqual([1, 2, 3, 4]);
      expect(new Set(candidates.map((c) => c.rule))).toEqual(new Set(['waterfall: priority, then tier order']));
    });

    it('never mentions a tie-break, even on equal bids', () => {
      const { candidates } = rank([bid(B, 20), bid(A, 20)], { tier: { logic: 'waterfall' } });
      expect(candidates.map((c) => [c.channelId, c.rule])).toEqual([
        [A, 'waterfall: priority, then tier order'],
        [B, 'waterfall: priority, then tier order'],
      ]);
    });

    it('applies the floor to effective bids and keeps the order of the rest', () => {
      const result = rank([bid(D, 50), bid(A, 5), bid(B, null, { outcome: 'rejected' }), bid(C, 15)], {
        tier: { logic: 'waterfall', channelIds: [D, C, B, A] },
        priceFloor: 10,
      });
      expect(result.candidates.map((c) => c.channelId)).toEqual([D, C]);
      expect(result.passedOver).toEqual([
        { channelId: A, reason: expect.stringMatching(/^bid too low/) },
        { channelId: B, reason: 'rejected' },
      ]);
    });
  });

  describe('order: expected_value', () => {
    const tier: Partial<Tier> = { logic: 'waterfall', order: 'expected_value' };

    it.each<[string, Bid[], Omit<Options, 'tier'>, string[]]>([
      [
        'effective bid × acceptance rate, highest first',
        [bid(A, 10), bid(B, 5), bid(C, 20)],
        { acceptance: { [A]: 0.2, [B]: 0.8, [C]: 0.15 } }, // 2, 4, 3
        [B, C, A],
      ],
      [
        'a sure buyer at a low bid beats an unlikely high bid',
        [bid(A, 100), bid(B, 11)],
        { acceptance: { [A]: 0.1, [B]: 1 } },
        [B, A],
      ],
      [
        'uses the effective bid, not the raw bid',
        [bid(A, 10), bid(B, 4)],
        { acceptance: { [A]: 0.5, [B]: 1 }, channels: { [A]: { bidAdjustmentPercent: -50 } } }, // 2.5 vs 4 (raw: 5 vs 4)
        [B, A],
      ],
      [
        'equal expected value: priority, then tier order',
        [bid(A, 10), bid(B, 5), bid(C, 20), bid(D, 2)],
        { acceptance: { [A]: 0.5, [B]: 1, [C]: 0.25, [D]: 1 }, channels: { [C]: { priority: 1 } } }, // 5, 5, 5, 2
        [C, A, B, D],
      ],
    ])('%s', (_label, bids, options, expected) => {
      expect(order(bids, { ...options, tier })).toEqual(expected);
    });

    it('explains the expected value in the rule', () => {
      const { candidates } = rank([bid(A, 10)], { tier, acceptance: { [A]: 0.8 } });
      expect(candidates[0].rule).toBe('waterfall: expected value 8 (bid × post acceptance 0.80)');
    });
  });

  describe('order: round_robin', () => {
    const tier: Partial<Tier> = { logic: 'waterfall', order: 'round_robin', channelIds: [A, B, C, D] };
    const bids = [bid(A, 10), bid(B, 10), bid(C, 10), bid(D, 10)];

    it.each<[number, string[]]>([
      [0, [A, B, C]],
      [1, [B, C, A]],
      [2, [C, A, B]],
      [3, [A, B, C]],
      [7, [B, C, A]],
    ])('rotation %p turns the equal-priority channels: %p', (rotation, expected) => {
      expect(order(bids.slice(0, 3), { tier, rotation })).toEqual(expected);
    });

    it('gives each equal-priority channel a turn first', () => {
      const firsts = [0, 1, 2].map((rotation) => order(bids.slice(0, 3), { tier, rotation })[0]);
      expect(firsts.sort()).toEqual([A, B, C]);
    });

    it.each([0, 1, 2, 3, 4, 5])('rotation %p keeps the higher priority group first', (rotation) => {
      const ordered = order(bids, { tier, rotation, channels: { [D]: { priority: 1 }, [C]: { priority: -1 } } });
      expect(ordered[0]).toBe(D);
      expect(ordered.slice(1, 3).sort()).toEqual([A, B]);
      expect(ordered[3]).toBe(C);
    });

    it('rotates each priority group separately', () => {
      const channels = { [C]: { priority: 1 }, [D]: { priority: 1 } };
      expect(order(bids, { tier, rotation: 1, channels })).toEqual([D, C, B, A]);
    });

    it('says whose turn it is in the rule', () => {
      const { candidates } = rank(bids, { tier, rotation: 5 });
      expect(candidates[0].rule).toBe('waterfall: round robin among equal priority (turn 5)');
    });
  });

  describe('order: weighted', () => {
    const tier: Partial<Tier> = { logic: 'waterfall', order: 'weighted', channelIds: [A, B, C] };
    const bids = [bid(A, 10), bid(B, 10)];
    const weights = { [A]: { weight: 3 }, [B]: { weight: 1 } };

    it.each<[number, string[]]>([
      [0, [A, B]],
      [0.74, [A, B]], // ticket 2.96 of 4 falls in A's 3
      [0.76, [B, A]], // ticket 3.04 of 4 falls in B's 1
      [0.999, [B, A]],
    ])('a draw of %p picks in proportion to weight: %p', (draw, expected) => {
      expect(order(bids, { tier, channels: weights, random: () => draw })).toEqual(expected);
    });

    it('puts a weight-3 channel first about three times as often as a weight-1 channel', () => {
      const draws = 2000;
      let aFirst = 0;
      for (let i = 0; i < draws; i++) {
        const ordered = order(bids, { tier, channels: weights, random: seededRandom(`lead-${i}`) });
        expect(ordered.slice().sort()).toEqual([A, B]);
        if (ordered[0] === A) aFirst++;
      }
      expect(aFirst / draws).toBeGreaterThan(0.68);
      expect(aFirst / draws).toBeLessThan(0.82);
    });

    it('gives the same order for the same seed', () => {
      const three = [bid(A, 10), bid(B, 10), bid(C, 10)];
      const channels = { [A]: { weight: 2 }, [B]: { weight: 3 }, [C]: { weight: 5 } };
      const orders = new Set<string>();
      for (let i = 0; i < 50; i++) {
        const first = order(three, { tier, channels, random: seededRandom(`lead-${i}`) });
        expect(order(three, { tier, channels, random: seededRandom(`lead-${i}`) })).toEqual(first);
        orders.add(first.join());
      }
      expect(orders.size).toBeGreaterThan(1);
    });

    it('keeps the higher priority group first whatever the weights', () => {
      const channels = { [A]: { weight: 1000 }, [B]: { weight: 1000 }, [C]: { weight: 1, priority: 1 } };
      for (let i = 0; i < 200; i++) {
        const ordered = order([bid(A, 10), bid(B, 10), bid(C, 10)], { tier, channels, random: seededRandom(`lead-${i}`) });
        expect(ordered[0]).toBe(C);
      }
    });

    it('gives the weight in the rule', () => {
      const { candidates } = rank(bids, { tier, channels: weights, random: () => 0 });
      expect(candidates.map((c) => c.rule)).toEqual([
        'waterfall: weighted draw among equal priority (weight 3)',
        'waterfall: weighted draw among equal priority (weight 1)',
      ]);
    });
  });
});
