import { request } from 'undici';
import { ConfigStore } from '@pingtree/db';
import { demoLead, getLead, postLead, startTestStack, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { OfferExpirySweeper } from '../src/journey/offer-expiry.sweeper';

describe('choice (ping, pick, post): picks that must be refused', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let apiKey: string;
  let otherApiKey: string;

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 5,
      buyers: ['one', 'two'].map((key) => ({
        key,
        style: 'bid-json' as const,
        bid: { min: 9, max: 9 },
        pingRejectRate: 0,
        postRejectRate: 0,
      })),
    });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    const channelIds: string[] = [];
    for (const key of ['one', 'two']) {
      const buyerId = await store.createBuyer({ name: key, displayName: key });
      channelIds.push(await store.createChannel({ name: key, buyerId, ...simChannelCalls(sim.url, key, 'bid-json') }));
    }
    const treeId = await store.createTree({
      name: 'choice',
      tiers: [{ name: 'choice', logic: 'choice', channelIds, maxSales: 2 }],
    });
    await store.createCampaign({ key: 'demo-auto', name: 'choice', vertical: 'auto_insurance', treeId, dedupeWindowHours: 0 });
    apiKey = (await store.createSupplier('chooser')).apiKey;
    otherApiKey = (await store.createSupplier('someone else')).apiKey;
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  const pick = async (leadId: string, body: unknown, key = apiKey) => {
    const res = await request(`${stack.gatewayUrl}/v1/leads/${leadId}/choice`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': key },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, body: (await res.body.json()) as any };
  };

  async function offeredLead() {
    const { body } = await postLead(stack, apiKey, demoLead());
    expect(body.state).toBe('offered');
    expect(body.offers).toHaveLength(2);
    return body as { leadId: string; offers: Array<{ offerId: string; buyer: string }> };
  }

  it('refuses an offer of another lead, an empty pick and another supplier', async () => {
    const a = await offeredLead();
    const b = await offeredLead();
    const foreign = await pick(a.leadId, { offerIds: [b.offers[0]!.offerId] });
    expect(foreign.status).toBe(422);
    expect(foreign.body.error.fields[0].field).toBe('offerIds.0');
    expect((await pick(a.leadId, { offerIds: [] })).status).toBe(422);
    expect((await pick(a.leadId, { offerIds: [a.offers[0]!.offerId] }, otherApiKey)).status).toBe(404);
  });

  it('refuses an expired offer with 410 and never posts it', async () => {
    const lead = await offeredLead();
    await stack.ds.query(`UPDATE lead_offers SET expires_at = now() - interval '1 second' WHERE lead_id = $1`, [lead.leadId]);
    sim.clearRequests();
    const late = await pick(lead.leadId, { offerIds: [lead.offers[0]!.offerId] });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('OFFER_EXPIRED');
    expect(sim.requests({ kind: 'post' })).toHaveLength(0);
    // Nobody picked in time: the sweeper closes the lead.
    await stack.services.get('gateway')![0]!.app.get(OfferExpirySweeper).sweep();
    expect((await getLead(stack, lead.leadId)).body.lead.state).toBe('expired');
  });

  it('takes one pick only: a second one is a conflict', async () => {
    const lead = await offeredLead();
    const first = await pick(lead.leadId, { offerIds: [lead.offers[1]!.offerId] });
    expect(first.status).toBe(200);
    expect(first.body.state).toBe('sold');
    expect(first.body.sales.map((s: { buyer: string }) => s.buyer)).toEqual([lead.offers[1]!.buyer]);
    const again = await pick(lead.leadId, { offerIds: [lead.offers[0]!.offerId] });
    expect(again.status).toBe(409);
  });
});
