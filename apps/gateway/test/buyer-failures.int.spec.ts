import { ConfigStore } from '@pingtree/db';
import { demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim, type SimBuyerInput } from '../../buyer-sim/src';

/**
 * One auction tier whose buyers fail in every way a real buyer does; the lead must still sell to
 * the one healthy buyer, and the trail must say what went wrong with each of the others.
 */
describe('buyers that time out, answer garbage, fail or reject the post', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let apiKey: string;
  const channelOf = new Map<string, string>();

  const buyers: SimBuyerInput[] = [
    { key: 'healthy', style: 'bid-json', bid: { min: 5, max: 5 }, latencyMs: { min: 1, max: 5 } },
    { key: 'hangs', style: 'transaction-json', bid: { min: 50, max: 50 }, mode: 'hang' },
    { key: 'garbage', style: 'bid-json', bid: { min: 50, max: 50 }, mode: 'garbage' },
    { key: 'fails', style: 'auction-202', bid: { min: 50, max: 50 }, mode: 'error5xx' },
    { key: 'flaky-post', style: 'xml-form', bid: { min: 40, max: 40 }, postRejectRate: 1 },
  ];

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 7, buyers: buyers.map((b) => ({ pingRejectRate: 0, postRejectRate: 0, ...b })) });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    apiKey = (await store.createSupplier('failures supplier')).apiKey;
    for (const b of buyers) {
      const buyerId = await store.createBuyer({ name: b.key, displayName: b.key });
      const calls = simChannelCalls(sim.url, b.key, b.style);
      channelOf.set(b.key, await store.createChannel({ name: b.key, buyerId, ...calls, pingTimeoutMs: 300 }));
    }
    const treeId = await store.createTree({
      name: 'one auction',
      tiers: [{ name: 'auction', logic: 'auction', channelIds: [...channelOf.values()] }],
    });
    await store.createCampaign({
      key: 'demo-auto',
      name: 'failures',
      vertical: 'auto_insurance',
      treeId,
      tmaxMs: 2000,
      postReserveMs: 500,
    });
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it('logs each failure with its reason and sells to the healthy buyer after the post reject', async () => {
    const { status, body: decision } = await postLead(stack, apiKey, demoLead());
    expect(status).toBe(200);
    expect(decision.state).toBe('sold');
    expect(decision.sales[0].channelId).toBe(channelOf.get('healthy'));
    expect(decision.sales[0].price).toBe(5);

    const trail = await waitForFinishedTrail(stack, decision.leadId);
    const pinged = (key: string) => trail.find((e) => e.type === 'pinged' && e.channelId === channelOf.get(key))!.data;
    expect(pinged('hangs').outcome).toBe('timeout');
    expect(pinged('garbage').outcome).toBe('unparseable');
    expect(pinged('fails').outcome).toBe('error');
    expect(pinged('fails').reason).toBe('HTTP 503');
    expect(pinged('flaky-post').outcome).toBe('bid');
    const posts = trail.filter((e) => e.type === 'posted').map((e) => [e.channelId, e.data.outcome]);
    // The best bid rejected the post; the lead fell to the next bidder.
    expect(posts).toEqual([
      [channelOf.get('flaky-post'), 'rejected'],
      [channelOf.get('healthy'), 'accepted'],
    ]);
  });
});
