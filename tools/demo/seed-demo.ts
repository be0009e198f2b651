import { DEMO_BUYERS, simChannelCalls } from '../../apps/buyer-sim/src';
import { CampaignEntity, ConfigStore } from '@pingtree/db';
import type { DataSource } from 'typeorm';

/** The README's curl uses this key; it exists only in the demo database. */
export const DEMO_SUPPLIER_KEY = 'demo-supplier-key-0001';
export const DEMO_CAMPAIGN = 'demo-auto';
export const DEMO_CHOICE_CAMPAIGN = 'demo-choice';

/** Tier membership of the demo buyers: a premium auction, then a waterfall, then a sweeper. */
const PREMIUM = ['quota-auction', 'picky-lender', 'bidwise-auto'];
const WATERFALL = ['acme-insurance', 'sunform-solar'];

/**
 * The demo configuration: one supplier, a channel per simulated buyer, a three-tier tree and the
 * `demo-auto` campaign. Idempotent: an existing demo campaign is left as it is.
 */
export async function seedDemo(ds: DataSource, buyerSimUrl: string): Promise<{ created: boolean }> {
  if (await ds.getRepository(CampaignEntity).existsBy({ key: DEMO_CAMPAIGN })) return { created: false };
  const store = new ConfigStore(ds);
  await store.createSupplier('Demo Supplier', DEMO_SUPPLIER_KEY);
  const channelIds = new Map<string, string>();
  for (const buyer of DEMO_BUYERS) {
    const buyerId = await store.createBuyer({ name: buyer.key, displayName: displayName(buyer.key) });
    const calls = simChannelCalls(buyerSimUrl, buyer.key, buyer.style);
    channelIds.set(
      buyer.key,
      await store.createChannel({ name: `${buyer.key} main`, buyerId, ping: calls.ping, post: calls.post, pingTimeoutMs: 400 }),
    );
  }
  const sweeper = DEMO_BUYERS.find((b) => b.key === 'sweeper-network')!;
  const sweeperBuyer = await store.createBuyer({ name: 'sweeper-fixed', displayName: 'Sweeper Network (fixed price)' });
  const sweeperChannel = await store.createChannel({
    name: 'sweeper fixed $2',
    buyerId: sweeperBuyer,
    ping: null,
    post: simChannelCalls(buyerSimUrl, sweeper.key, sweeper.style).post,
    fixedPrice: 2,
  });
  const ids = (keys: string[]) => keys.map((k) => channelIds.get(k)!);
  const treeId = await store.createTree({
    name: 'demo auto tree',
    tiers: [
      { name: 'premium auction', logic: 'auction', channelIds: ids(PREMIUM), priceFloor: 5, pricing: 'second_price' },
      { name: 'waterfall', logic: 'waterfall', channelIds: ids(WATERFALL), pingMode: 'parallel' },
      { name: 'sweeper', logic: 'waterfall', channelIds: [sweeperChannel] },
    ],
  });
  await store.createCampaign({
    key: DEMO_CAMPAIGN,
    name: 'Demo auto insurance',
    vertical: 'auto_insurance',
    treeId,
    tmaxMs: 3000,
    margin: { type: 'percent', value: 20 },
  });
  // Ping, pick, post: the consumer chooses among the buyers that want the lead.
  const choiceTreeId = await store.createTree({
    name: 'demo choice tree',
    tiers: [
      {
        name: 'consumer choice',
        logic: 'choice',
        channelIds: ids([...PREMIUM, ...WATERFALL]),
        maxSales: 3,
        offerTtlSeconds: 600,
      },
    ],
  });
  await store.createCampaign({
    key: DEMO_CHOICE_CAMPAIGN,
    name: 'Demo auto insurance, consumer choice',
    vertical: 'auto_insurance',
    treeId: choiceTreeId,
    tmaxMs: 3000,
  });
  return { created: true };
}

function displayName(key: string): string {
  return key
    .split('-')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join(' ');
}
