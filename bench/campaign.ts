import { simChannelCalls } from '../apps/buyer-sim/src';
import type { BenchFlags } from './flags';
import { LeadBodies } from './lead-body';
import type { Stack } from './own-stack';
import { sleep } from './processes';

export interface BenchCampaign {
  key: string;
  supplierApiKey: string;
  channelIds: string[];
  buyerKeys: string[];
}

/**
 * The benchmark campaign, made the way an operator would: buyers configured on buyer-sim, then a
 * supplier, buyers, channels, a one-tier auction tree and a campaign through the admin API.
 * Dedupe window 0 by default (`--dedupe-hours`); lead-body makes every lead's contact data unique anyway.
 */
export async function createBenchCampaign(stack: Stack, flags: BenchFlags, runTag: string): Promise<BenchCampaign> {
  const gateway = stack.gatewayUrls[0]!;
  const admin = (path: string, body: unknown) =>
    call(`${gateway}/v1/admin/${path}`, 'POST', body, { 'x-admin-key': stack.adminKey });
  const buyerKeys = Array.from({ length: flags.buyers }, (_, i) => `${runTag}-b${String(i + 1).padStart(2, '0')}`);

  for (const key of buyerKeys) {
    await call(`${stack.simUrl}/_sim/buyers/${key}`, 'PUT', {
      style: flags.style,
      bid: flags.bids,
      latencyMs: flags.buyerLatency,
      pingRejectRate: flags.pingRejectRate,
      postRejectRate: flags.postRejectRate,
    });
  }
  const supplier = (await admin('suppliers', { name: `bench ${runTag}` })) as { apiKey: string };
  const channelIds: string[] = [];
  for (const key of buyerKeys) {
    const buyer = (await admin('buyers', { name: key, displayName: `Bench buyer ${key.slice(-3)}` })) as { id: string };
    const calls = simChannelCalls(stack.simUrl, key, flags.style);
    // These buyers never call back, so their posts are never pending (a pending rule would need asyncPost).
    const { pending: _pending, ...postResponse } = calls.post.response;
    const post = { ...calls.post, response: postResponse };
    const channel = (await admin('channels', {
      name: `${key} main`,
      buyerId: buyer.id,
      ping: calls.ping,
      post,
      ...(flags.circuitThreshold !== undefined && { circuit: { failureThreshold: flags.circuitThreshold, cooldownMs: 30_000 } }),
    })) as {
      id: string;
    };
    channelIds.push(channel.id);
  }
  const tree = (await admin('trees', {
    name: `bench ${runTag}`,
    tiers: [{ name: 'auction', logic: 'auction', channelIds }],
  })) as { id: string };
  const key = `bench-${runTag}`;
  await admin('campaigns', {
    key,
    name: `Benchmark ${runTag}`,
    vertical: 'auto_insurance',
    treeId: tree.id,
    tmaxMs: flags.tmax,
    dedupeWindowHours: flags.dedupeHours,
  });
  return { key, supplierApiKey: supplier.apiKey, channelIds, buyerKeys };
}

/**
 * Every replica reloads its catalog when the admin API announces the change; a probe lead that
 * pinged every buyer shows the services behind each gateway have it.
 */
export async function waitUntilCampaignSells(
  stack: Stack,
  campaign: BenchCampaign,
  flags: BenchFlags,
  runTag: string,
): Promise<void> {
  const bodies = new LeadBodies(campaign.key, `${runTag}p`);
  const until = Date.now() + 20_000;
  let last = '';
  for (const gateway of stack.gatewayUrls) {
    let good = 0;
    while (good < 3) {
      if (Date.now() > until) throw new Error(`benchmark campaign does not sell through ${gateway}: ${last}`);
      const answer = await fetch(`${gateway}/v1/leads`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': campaign.supplierApiKey },
        body: bodies.next(),
      }).then(async (r) => ({
        status: r.status,
        body: (await r.json().catch(() => ({}))) as { state?: string; reason?: string },
      }));
      last = `${answer.status} ${JSON.stringify(answer.body)}`;
      const decided = answer.status === 200 && (answer.body.state === 'sold' || answer.body.state === 'unsold');
      if (decided && answer.body.reason !== 'no_eligible_channel') good++;
      else await sleep(200);
    }
  }
  // Other replicas of the services behind the gateway may still be reloading.
  if (flags.replicas > 1) await sleep(1000);
}

async function call(url: string, method: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url} answered ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}
