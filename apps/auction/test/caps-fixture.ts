import type { ChannelCap } from '@pingtree/contracts';
import { ConfigStore } from '@pingtree/db';
import type { TestStack } from '@pingtree/testing';
import { simChannelCalls, type BuyerSim } from '../../buyer-sim/src';

/**
 * An IANA zone where it is about noon now, so a test's day window can't roll over mid-test
 * (Etc/GMT-N is UTC+N: the sign is inverted by POSIX convention).
 */
export function zoneNearNoon(now = Date.now()): string {
  let offset = 12 - new Date(now).getUTCHours();
  if (offset > 14) offset -= 24;
  if (offset < -12) offset += 24;
  return offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
}

export interface CapsCampaign {
  campaign: string;
  capped: string;
  fallback: string;
}

/**
 * One auction tier with two bidders: `capped` bids 20 and has the caps, `fallback` bids 10 and has
 * none (unless `fallbackCaps`). The capped channel wins every lead until its cap is reached. Buyers are added to `sim`.
 */
export async function createCapsCampaign(
  stack: TestStack,
  sim: BuyerSim,
  name: string,
  caps: ChannelCap[],
  extra: { pacing?: { mode: 'even' }; fallbackCaps?: ChannelCap[] } = {},
): Promise<CapsCampaign> {
  const store = new ConfigStore(stack.ds);
  const channelFor = async (key: string, bid: number, channelCaps: ChannelCap[]) => {
    sim.setBuyer({ key, style: 'bid-json', bid: { min: bid, max: bid } });
    const buyerId = await store.createBuyer({ name: key, displayName: key });
    return store.createChannel({
      name: key,
      buyerId,
      ...simChannelCalls(sim.url, key, 'bid-json'),
      pingTimeoutMs: 2000,
      postTimeoutMs: 2000,
      timezone: zoneNearNoon(),
      caps: channelCaps,
      ...(channelCaps.length > 0 && extra.pacing ? { pacing: extra.pacing } : {}),
    });
  };
  const capped = await channelFor(`${name}-capped`, 20, caps);
  const fallback = await channelFor(`${name}-fallback`, 10, extra.fallbackCaps ?? []);
  const treeId = await store.createTree({
    name,
    tiers: [{ name: 'auction', logic: 'auction', channelIds: [capped, fallback] }],
  });
  await store.createCampaign({ key: name, name, vertical: 'auto_insurance', treeId, tmaxMs: 10_000, postReserveMs: 2000 });
  await stack.reloadConfig();
  return { campaign: name, capped, fallback };
}

export interface CapWindowRow {
  period: string;
  used_count: number;
  reserved_count: number;
  used_spend: string;
  reserved_spend: string;
}

export async function capWindows(stack: TestStack, channelId: string): Promise<CapWindowRow[]> {
  return (await stack.ds.query(
    `SELECT period, used_count, reserved_count, used_spend::text, reserved_spend::text
     FROM channel_cap_windows WHERE channel_id = $1 ORDER BY period, window_start`,
    [channelId],
  )) as CapWindowRow[];
}

export async function reservationStates(stack: TestStack, channelId: string): Promise<Record<string, number>> {
  const rows = (await stack.ds.query(
    `SELECT state, count(*)::int AS n FROM cap_reservations WHERE channel_id = $1 GROUP BY state`,
    [channelId],
  )) as Array<{ state: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
