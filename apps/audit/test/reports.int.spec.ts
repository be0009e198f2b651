import { request } from 'undici';
import { ConfigStore } from '@pingtree/db';
import { demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';

describe('reports per supplier and channel, with returns', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let apiKey: string;
  const channel: Record<string, string> = {};
  const leadIds: string[] = [];

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 4,
      buyers: [
        { key: 'winner', style: 'bid-json', bid: { min: 10, max: 10 }, pingRejectRate: 0, postRejectRate: 0 },
        { key: 'runner-up', style: 'bid-json', bid: { min: 5, max: 5 }, pingRejectRate: 0, postRejectRate: 0 },
      ],
    });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    for (const key of ['winner', 'runner-up']) {
      const buyerId = await store.createBuyer({ name: key, displayName: key });
      channel[key] = await store.createChannel({ name: key, buyerId, ...simChannelCalls(sim.url, key, 'bid-json') });
    }
    const treeId = await store.createTree({
      name: 't',
      tiers: [{ name: 'a', logic: 'auction', channelIds: Object.values(channel) }],
    });
    await store.createCampaign({
      key: 'demo-auto',
      name: 'c',
      vertical: 'auto_insurance',
      treeId,
      margin: { type: 'percent', value: 20 },
    });
    apiKey = (await store.createSupplier('reporting supplier')).apiKey;
    await stack.reloadConfig();
    for (let i = 0; i < 4; i++) {
      const { body } = await postLead(stack, apiKey, demoLead());
      expect(body.state).toBe('sold');
      leadIds.push(body.leadId);
    }
    for (const id of leadIds) await waitForFinishedTrail(stack, id);
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  async function report(groupBy: string) {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const res = await request(`${stack.gatewayUrl}/v1/admin/reports?groupBy=${groupBy}&from=${from}&to=${to}&bucket=day`, {
      headers: { 'x-admin-key': stack.env.ADMIN_API_KEY },
    });
    expect(res.statusCode).toBe(200);
    return ((await res.body.json()) as { rows: any[] }).rows;
  }

  it('adds up leads, pings, posts, revenue, payout and margin per supplier', async () => {
    const [row] = await report('supplier');
    expect(row).toMatchObject({
      name: 'reporting supplier',
      leads: 4,
      sold: 4,
      fillRate: 1,
      pings: 8,
      pingAccepts: 8,
      pingAcceptRate: 1,
      posts: 4,
      postAccepts: 4,
      pingToPostRatio: 0.5,
      averageBid: 7.5,
      revenue: 40,
      payout: 32,
      margin: 8,
      returns: 0,
    });
    expect(row.pingP50Ms).toBeGreaterThan(0);
    expect(row.pingP95Ms).toBeGreaterThanOrEqual(row.pingP50Ms);
  });

  it('splits by channel, and a return takes the sale out of revenue and counts against the channel', async () => {
    const res = await request(`${stack.gatewayUrl}/v1/leads/${leadIds[0]}/returns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-key': stack.env.ADMIN_API_KEY },
      body: JSON.stringify({ reason: 'consumer never applied' }),
    });
    expect(res.statusCode).toBe(201);
    const again = await request(`${stack.gatewayUrl}/v1/leads/${leadIds[0]}/returns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-key': stack.env.ADMIN_API_KEY },
      body: JSON.stringify({ reason: 'twice' }),
    });
    expect(again.statusCode).toBe(409);

    const rows = await report('channel');
    const winner = rows.find((r) => r.key === channel['winner']);
    const runnerUp = rows.find((r) => r.key === channel['runner-up']);
    expect(winner).toMatchObject({
      leads: 4,
      sold: 4,
      pings: 4,
      posts: 4,
      postAccepts: 4,
      revenue: 30,
      returns: 1,
      returnedRevenue: 10,
    });
    expect(runnerUp).toMatchObject({ leads: 4, sold: 0, pings: 4, pingAccepts: 4, posts: 0, revenue: 0, pingToPostRatio: 0 });
  });

  it('refuses a bad query with the field named', async () => {
    const res = await request(`${stack.gatewayUrl}/v1/admin/reports?groupBy=planet&from=x&to=y`, {
      headers: { 'x-admin-key': stack.env.ADMIN_API_KEY },
    });
    expect(res.statusCode).toBe(422);
    const fields = ((await res.body.json()) as any).error.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['groupBy', 'from', 'to']));
  });
});
