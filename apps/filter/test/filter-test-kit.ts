import type { z } from 'zod';
import type { campaignConfigSchema, channelConfigSchema, Tier } from '@pingtree/contracts';
import { ConfigStore } from '@pingtree/db';
import { postLead, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { simChannelCalls, type BuyerSim } from '../../buyer-sim/src';

type ChannelExtras = Partial<Pick<z.input<typeof channelConfigSchema>, 'filters' | 'schedule' | 'priority' | 'enabled'>>;

export interface KitChannel extends ChannelExtras {
  /** Also the simulated buyer's key and the channel's name. */
  key: string;
  /** Several channels may share a buyer. */
  buyer?: string;
  bid?: number;
}

export interface Wired {
  campaignKey: string;
  campaignId: string;
  apiKey: string;
  supplierId: string;
  channelOf: Map<string, string>;
  buyerOf: Map<string, string>;
  keyOf: Map<string, string>;
}

let counter = 0;

/**
 * One buyer-sim buyer and channel per entry, in one waterfall tier ordered by priority, with a fresh
 * supplier and campaign. Keys are made unique per call so several setups share one stack.
 */
export async function wire(
  stack: TestStack,
  sim: BuyerSim,
  channels: KitChannel[],
  campaign: Partial<z.input<typeof campaignConfigSchema>> = {},
  tier: Partial<Tier> = {},
): Promise<Wired> {
  const prefix = `k${++counter}-${Date.now() % 100_000}`;
  const store = new ConfigStore(stack.ds);
  const channelOf = new Map<string, string>();
  const buyerOf = new Map<string, string>();
  for (const c of channels) {
    const buyerKey = `${prefix}-${c.buyer ?? c.key}`;
    if (!buyerOf.has(c.buyer ?? c.key)) {
      buyerOf.set(c.buyer ?? c.key, await store.createBuyer({ name: buyerKey, displayName: c.buyer ?? c.key }));
    }
    const simKey = `${prefix}-${c.key}`;
    sim.setBuyer({ key: simKey, style: 'bid-json', bid: { min: c.bid ?? 10, max: c.bid ?? 10 } });
    const calls = simChannelCalls(sim.url, simKey, 'bid-json');
    const { key: _key, buyer: _buyer, bid: _bid, ...extras } = c;
    channelOf.set(
      c.key,
      await store.createChannel({
        name: simKey,
        buyerId: buyerOf.get(c.buyer ?? c.key)!,
        ping: calls.ping,
        post: calls.post,
        pingTimeoutMs: 500,
        ...extras,
      }),
    );
  }
  const treeId = await store.createTree({
    name: prefix,
    tiers: [
      {
        name: 'all',
        logic: 'waterfall',
        ...tier,
        channelIds: channels.map((c) => channelOf.get(c.key)!),
      },
    ],
  });
  const supplier = await store.createSupplier(`${prefix} supplier`);
  const campaignId = await store.createCampaign({
    key: prefix,
    name: prefix,
    vertical: 'auto_insurance',
    treeId,
    tmaxMs: 3000,
    postReserveMs: 800,
    dedupeWindowHours: 0,
    ...campaign,
  });
  return {
    campaignKey: prefix,
    campaignId,
    apiKey: supplier.apiKey,
    supplierId: supplier.id,
    channelOf,
    buyerOf,
    keyOf: new Map([...channelOf].map(([k, id]) => [id, k])),
  };
}

export interface TrailEvent {
  type: string;
  channelId: string | null;
  data: Record<string, unknown>;
}

/** Posts the lead and returns its decision and trail, with excluded and pinged channels by key. */
export async function sendLead(stack: TestStack, w: Wired, body: Record<string, unknown>) {
  const { status, body: decision } = await postLead(stack, w.apiKey, { ...body, campaign: w.campaignKey });
  if (status !== 200) throw new Error(`lead refused: ${status} ${JSON.stringify(decision)}`);
  const trail = (await waitForFinishedTrail(stack, decision.leadId as string)) as TrailEvent[];
  const excluded = Object.fromEntries(
    trail.filter((e) => e.type === 'excluded').map((e) => [w.keyOf.get(e.channelId!) ?? e.channelId, e.data]),
  ) as Record<string, { reason: string; detail: string; rule?: string }>;
  const pinged = trail
    .filter((e) => e.type === 'pinged')
    .map((e) => w.keyOf.get(e.channelId!)!)
    .sort();
  return { decision, trail, excluded, pinged };
}
