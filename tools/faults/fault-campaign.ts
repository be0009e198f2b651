import { simChannelCalls, type SimBuyerInput, type Style } from '../../apps/buyer-sim/src';
import type { ResponseRules } from '@pingtree/contracts';
import { ConfigStore } from '@pingtree/db';
import type { DataSource } from 'typeorm';

export const FAULT_SUPPLIER_KEY = 'faults-supplier-key-0001';
export const FAULT_CAMPAIGN = 'faults-auto';
/** Daily count cap of the capped channel: small, so it fills during the run. */
export const DAILY_CAP = 40;
export const CAPPED_BUYER = 'fa-capped';
/** The capped channel's day starts at midnight here. */
export const CAP_TIMEZONE = 'America/New_York';
/** Post-only fallback of the second tier. */
const SWEEPER_BUYER = 'fa-sweeper';

/**
 * The buyers of the fault campaign: every kind of answer, some refusing posts, one slow (so a
 * killed post service often dies with a post on the wire), one with a small daily cap.
 */
export const FAULT_BUYERS: SimBuyerInput[] = [
  buyer('fa-acme', 'transaction-json', 6, 14, 0.2, 0.1, 5, 30),
  buyer('fa-bidwise', 'bid-json', 8, 18, 0.3, 0.2, 10, 50),
  buyer('fa-quota', 'auction-202', 10, 22, 0.4, 0.1, 20, 80),
  buyer('fa-sunform', 'xml-form', 5, 15, 0.25, 0.15, 5, 40),
  // Bids high and refuses every post: the auction falls back to the runner-up.
  { ...buyer('fa-refuser', 'cents-flags', 14, 30, 0.6, 0, 10, 40), mode: 'bid_then_reject' },
  // Slow on pings and posts alike, still inside the ping timeout.
  buyer('fa-slow', 'text-pipe', 12, 24, 0.3, 0.1, 300, 700),
  // Rarely bids, but bids high: fills its cap over the run rather than in the first seconds.
  buyer(CAPPED_BUYER, 'rtb-expiry', 20, 32, 0.85, 0.1, 5, 30),
  buyer(SWEEPER_BUYER, 'bid-json', 1, 3, 0, 0.3, 5, 20),
];

function buyer(
  key: string,
  style: Style,
  bidMin: number,
  bidMax: number,
  pingRejectRate: number,
  postRejectRate: number,
  latencyMin: number,
  latencyMax: number,
): SimBuyerInput {
  return {
    key,
    style,
    bid: { min: bidMin, max: bidMax },
    pingRejectRate,
    postRejectRate,
    latencyMs: { min: latencyMin, max: latencyMax },
    mode: 'normal',
  };
}

export interface SeededCampaign {
  channelByBuyer: Map<string, string>;
  cappedChannelId: string;
  /** How each buyer's post answer reads, to tell from the wire whether the buyer bought. */
  postRules: Map<string, ResponseRules>;
}

/**
 * Supplier, a channel per buyer, and a tree: an exclusive auction over the bidding buyers, then a
 * post-only waterfall fallback. `buyerUrl` is where the platform calls buyers (the recorder).
 */
export async function seedFaultCampaign(ds: DataSource, buyerUrl: string): Promise<SeededCampaign> {
  const store = new ConfigStore(ds);
  await store.createSupplier('Fault Supplier', FAULT_SUPPLIER_KEY);
  const channelByBuyer = new Map<string, string>();
  const postRules = new Map<string, ResponseRules>();
  for (const b of FAULT_BUYERS) {
    const buyerId = await store.createBuyer({ name: b.key, displayName: b.key });
    const calls = simChannelCalls(buyerUrl, b.key, b.style);
    // These buyers answer at once, never "pending" with a callback later.
    const { pending: _pending, ...response } = calls.post.response;
    const post = { ...calls.post, response };
    postRules.set(b.key, response);
    const postOnly = b.key === SWEEPER_BUYER;
    channelByBuyer.set(
      b.key,
      await store.createChannel({
        name: `${b.key} main`,
        buyerId,
        ping: postOnly ? null : calls.ping,
        post,
        ...(postOnly && { fixedPrice: 2 }),
        ...(b.key === CAPPED_BUYER && { caps: [{ period: 'day', count: DAILY_CAP }], timezone: CAP_TIMEZONE }),
      }),
    );
  }
  const auctionChannels = FAULT_BUYERS.filter((b) => b.key !== SWEEPER_BUYER).map((b) => channelByBuyer.get(b.key)!);
  const treeId = await store.createTree({
    name: 'faults tree',
    tiers: [
      { name: 'exclusive auction', logic: 'auction', channelIds: auctionChannels, priceFloor: 3, pricing: 'second_price' },
      { name: 'fallback', logic: 'waterfall', channelIds: [channelByBuyer.get(SWEEPER_BUYER)!] },
    ],
  });
  await store.createCampaign({
    key: FAULT_CAMPAIGN,
    name: 'Fault suite auto insurance',
    vertical: 'auto_insurance',
    treeId,
    tmaxMs: 3000,
    margin: { type: 'percent', value: 20 },
  });
  return { channelByBuyer, cappedChannelId: channelByBuyer.get(CAPPED_BUYER)!, postRules };
}
