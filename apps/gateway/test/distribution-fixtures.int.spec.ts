import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { request } from 'undici';
import { ConfigStore } from '@pingtree/db';
import { demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { distributionFixtureSchema, type DistributionFixture, type Expectation, type FixtureBuyer } from './distribution-fixture';

/**
 * Every distribution logic, tie rule, fallback path and tier combination, as data: each file in
 * fixtures/distribution holds a tree, the buyers' answers, and what must happen. All run against
 * the real services, NATS, PostgreSQL and simulated buyers over HTTP.
 */
const FIXTURE_DIR = path.join(__dirname, 'fixtures', 'distribution');
const fixtures = readdirSync(FIXTURE_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({
    name: file.replace(/\.json$/, ''),
    fixture: distributionFixtureSchema.parse(JSON.parse(readFileSync(path.join(FIXTURE_DIR, file), 'utf8'))),
  }));

interface Wired {
  campaignKey: string;
  apiKey: string;
  channelOf: Map<string, string>;
  keyOfChannel: Map<string, string>;
}

describe('distribution logics (table-driven fixtures)', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  const wired = new Map<string, Wired>();

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 11 });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    for (const [i, { name, fixture }] of fixtures.entries()) wired.set(name, await wire(store, stack, sim, `fx${i}`, fixture));
    await stack.reloadConfig();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it.each(fixtures)('$name', async ({ name, fixture }) => {
    const w = wired.get(name)!;
    const expectations = fixture.expectEach ?? (fixture.expect ? [fixture.expect] : []);
    expect(expectations.length).toBeGreaterThan(0);
    for (const expected of expectations) {
      const { status, body } = await postLead(stack, w.apiKey, demoLead({ campaign: w.campaignKey }));
      expect(status).toBe(200);
      await check(body, expected, w, fixture);
      if (fixture.pick && fixture.expectAfterPick) {
        const offerIds = fixture.pick.map((key) => {
          const offer = (body.offers as Array<{ offerId: string; buyer: string }>).find((o) => o.buyer === key);
          if (!offer) throw new Error(`no offer from ${key}`);
          return offer.offerId;
        });
        const res = await request(`${stack.gatewayUrl}/v1/leads/${body.leadId}/choice`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': w.apiKey },
          body: JSON.stringify({ offerIds }),
        });
        expect(res.statusCode).toBe(200);
        await check((await res.body.json()) as Record<string, any>, fixture.expectAfterPick, w, fixture);
      }
    }
  });

  async function check(
    decision: Record<string, any>,
    expected: Expectation,
    w: Wired,
    fixture: DistributionFixture,
  ): Promise<void> {
    const leadId = decision.leadId as string;
    expect({ state: decision.state, reason: decision.reason }).toMatchObject({
      state: expected.state,
      ...(expected.reason && { reason: expected.reason }),
    });
    if (expected.sales) {
      const sales = (decision.sales ?? []) as Array<{ buyer: string; channelId: string; price: number; payout: number }>;
      expect(sales).toHaveLength(expected.sales.length);
      expected.sales.forEach((want, i) => {
        expect({ buyer: sales[i]!.buyer, price: sales[i]!.price }).toEqual({ buyer: want.buyer, price: want.price });
        if (want.payout !== undefined) expect(sales[i]!.payout).toBe(want.payout);
      });
    }
    if (expected.offers) {
      expect((decision.offers as Array<{ buyer: string }>).map((o) => o.buyer)).toEqual(expected.offers);
    }
    if (decision.state === 'offered') return; // the trail finishes after the pick
    const trail = await waitForFinishedTrail(stack, leadId);
    if (expected.pinged) {
      const pinged = trail.filter((e) => e.type === 'pinged').map((e) => w.keyOfChannel.get(e.channelId));
      expect(pinged.sort()).toEqual([...expected.pinged].sort());
    }
    if (expected.posted) {
      const outcomes = new Map(
        trail.filter((e) => e.type === 'posted').map((e) => [e.channelId as string, e.data.outcome as string]),
      );
      const simKeys = new Map(Object.keys(fixture.buyers).map((k) => [`${w.campaignKey}-${k}`, k]));
      const received = sim
        .requests({ kind: 'post' })
        .filter((r) => simKeys.has(r.buyer) && r.rawBody.includes(leadId))
        .map((r) => {
          const key = simKeys.get(r.buyer)!;
          return [key, outcomes.get(w.channelOf.get(key)!)];
        });
      expect(received).toEqual(expected.posted);
    }
    if (expected.winnerRule) {
      const winner = (decision.sales as Array<{ channelId: string }>)[0]!.channelId;
      const selected = trail.find((e) => e.type === 'selected' && e.channelId === winner);
      expect(selected?.data.rule).toContain(expected.winnerRule);
    }
  }
});

/** Creates the fixture's simulated buyers, channels, tree, supplier and campaign. */
async function wire(
  store: ConfigStore,
  stack: TestStack,
  sim: BuyerSim,
  prefix: string,
  fixture: DistributionFixture,
): Promise<Wired> {
  const channelOf = new Map<string, string>();
  for (const [key, buyer] of Object.entries(fixture.buyers)) {
    const simKey = `${prefix}-${key}`;
    sim.setBuyer(simBuyer(simKey, buyer));
    const buyerId = await store.createBuyer({ name: simKey, displayName: key });
    const calls = simChannelCalls(sim.url, simKey, buyer.style);
    const channelId = await store.createChannel({
      name: simKey,
      buyerId,
      ping: buyer.postOnlyPrice !== undefined ? null : calls.ping,
      post: calls.post,
      ...(buyer.postOnlyPrice !== undefined && { fixedPrice: buyer.postOnlyPrice }),
      pingTimeoutMs: 300,
      priority: buyer.priority,
      weight: buyer.weight,
      bidAdjustmentPercent: buyer.bidAdjustmentPercent,
    });
    channelOf.set(key, channelId);
  }
  const treeId = await store.createTree({
    name: prefix,
    tiers: fixture.tiers.map(({ channels, ...tier }) => ({ ...tier, channelIds: channels.map((k) => channelOf.get(k)!) })),
  });
  const supplier = await store.createSupplier(`${prefix} supplier`);
  await stack.ds.query(`UPDATE suppliers SET price_floor = $2 WHERE id = $1`, [supplier.id, fixture.supplierPriceFloor]);
  await store.createCampaign({
    key: prefix,
    name: prefix,
    vertical: 'auto_insurance',
    treeId,
    tmaxMs: 3000,
    postReserveMs: 800,
    dedupeWindowHours: 0,
    priceFloor: fixture.campaign.priceFloor,
    ...(fixture.campaign.margin && { margin: fixture.campaign.margin }),
  });
  return {
    campaignKey: prefix,
    apiKey: supplier.apiKey,
    channelOf,
    keyOfChannel: new Map([...channelOf].map(([k, id]) => [id, k])),
  };
}

function simBuyer(key: string, b: FixtureBuyer) {
  const failing = b.ping === 'hang' || b.ping === 'error5xx' || b.ping === 'garbage';
  return {
    key,
    style: b.style,
    bid: { min: b.bid, max: b.bid },
    pingRejectRate: b.ping === 'reject' ? 1 : 0,
    postRejectRate: b.post === 'reject' ? 1 : 0,
    latencyMs: { min: b.latencyMs, max: b.latencyMs },
    mode: failing ? (b.ping as 'hang' | 'error5xx' | 'garbage') : ('normal' as const),
  };
}
