import { ConfigStore } from '@pingtree/db';
import { demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';

describe('circuit breaker per channel, across two ping replicas', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let apiKey: string;
  let flakyChannel: string;

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 9,
      buyers: [
        { key: 'flaky', style: 'bid-json', bid: { min: 20, max: 20 }, pingRejectRate: 0, postRejectRate: 0, mode: 'error5xx' },
        { key: 'steady', style: 'bid-json', bid: { min: 5, max: 5 }, pingRejectRate: 0, postRejectRate: 0 },
      ],
    });
    stack = await startTestStack({ replicas: { ping: 2 } });
    const store = new ConfigStore(stack.ds);
    const ids: string[] = [];
    for (const key of ['flaky', 'steady']) {
      const buyerId = await store.createBuyer({ name: key, displayName: key });
      ids.push(
        await store.createChannel({
          name: key,
          buyerId,
          ...simChannelCalls(sim.url, key, 'bid-json'),
          circuit: { failureThreshold: 2, cooldownMs: 4000 },
        }),
      );
    }
    flakyChannel = ids[0]!;
    const treeId = await store.createTree({ name: 't', tiers: [{ name: 'auction', logic: 'auction', channelIds: ids }] });
    await store.createCampaign({ key: 'demo-auto', name: 'c', vertical: 'auto_insurance', treeId, dedupeWindowHours: 0 });
    apiKey = (await store.createSupplier('s')).apiKey;
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  const flakyOutcome = async () => {
    const { body } = await postLead(stack, apiKey, demoLead());
    const trail = await waitForFinishedTrail(stack, body.leadId);
    return trail.find((e) => e.type === 'pinged' && e.channelId === flakyChannel)!.data as { outcome: string; reason: string };
  };

  it('opens after repeated errors, skips the channel with the reason, and closes after a good probe', async () => {
    // Replicas share pings through the queue group; at most 2 failures per replica open both.
    const outcomes: string[] = [];
    for (let i = 0; i < 6 && !outcomes.includes('circuit_open'); i++) outcomes.push((await flakyOutcome()).outcome);
    expect(outcomes).toContain('circuit_open');
    expect(outcomes.filter((o) => o === 'error').length).toBeGreaterThanOrEqual(2);
    // Once open on one replica, the broadcast keeps the other from pinging it too.
    await new Promise((r) => setTimeout(r, 100));
    const skipped = [await flakyOutcome(), await flakyOutcome()];
    expect(skipped.map((s) => s.outcome)).toEqual(['circuit_open', 'circuit_open']);
    expect(skipped[0]!.reason).toMatch(/^circuit open until/);
    const [stored] = await stack.ds.query(`SELECT state FROM channel_circuits WHERE channel_id = $1`, [flakyChannel]);
    expect(stored.state).toBe('open');

    sim.setBuyer({
      key: 'flaky',
      style: 'bid-json',
      bid: { min: 20, max: 20 },
      pingRejectRate: 0,
      postRejectRate: 0,
      mode: 'normal',
    });
    // Past the cool-down, whichever replica gets the next lead sends one probe.
    const [{ retry_at }] = await stack.ds.query(`SELECT retry_at FROM channel_circuits WHERE channel_id = $1`, [flakyChannel]);
    await new Promise((r) => setTimeout(r, Math.max(0, new Date(retry_at).getTime() - Date.now()) + 100));
    expect((await flakyOutcome()).outcome).toBe('bid'); // the probe
    await new Promise((r) => setTimeout(r, 100));
    expect((await flakyOutcome()).outcome).toBe('bid');
    expect((await flakyOutcome()).outcome).toBe('bid');
    const [closed] = await stack.ds.query(`SELECT state FROM channel_circuits WHERE channel_id = $1`, [flakyChannel]);
    expect(closed.state).toBe('closed');
  });
});
