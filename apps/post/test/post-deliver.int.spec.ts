import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { postDeliverV1, type Candidate } from '@pingtree/contracts';
import { ConfigStore } from '@pingtree/db';
import { connectNats, NatsRequestClient } from '@pingtree/messaging';
import { demoLead, postLead, startTestStack, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';

/** The post step on its own: the lead is read with the first attempt, in the same statement. */
describe('post delivery', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let nc: NatsConnection;
  let client: NatsRequestClient;
  let channelId: string;
  let apiKey: string;

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 3,
      buyers: [{ key: 'buys', style: 'bid-json', bid: { min: 5, max: 5 }, pingRejectRate: 0, postRejectRate: 0 }],
    });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    const buyerId = await store.createBuyer({ name: 'buys', displayName: 'buys' });
    channelId = await store.createChannel({ name: 'buys', buyerId, ...simChannelCalls(sim.url, 'buys', 'bid-json') });
    const treeId = await store.createTree({ name: 't', tiers: [{ name: 'a', logic: 'auction', channelIds: [channelId] }] });
    await store.createCampaign({ key: 'demo-auto', name: 'c', vertical: 'auto_insurance', treeId, dedupeWindowHours: 0 });
    apiKey = (await store.createSupplier('post test supplier')).apiKey;
    await stack.reloadConfig();
    nc = await connectNats(stack.env.NATS_URL, 'post-test');
    client = new NatsRequestClient(nc, {
      service: 'gateway',
      natsUrl: stack.env.NATS_URL,
      namespace: stack.env.PINGTREE_NAMESPACE,
    });
  });

  afterAll(async () => {
    await nc?.close();
    await stack?.close();
    await sim?.close();
  });

  const candidate = (): Candidate => ({
    channelId,
    price: 5,
    effectiveBid: 5,
    payout: 5,
    buyerRef: null,
    expiresAt: null,
    rank: 1,
    rule: 'test',
  });
  const deliver = (leadId: string) =>
    client.request(
      postDeliverV1,
      { leadId, tierIndex: 0, candidates: [candidate()], maxSales: 1 },
      { deadlineAt: Date.now() + 3000, leadId },
    );

  it('refuses a lead that does not exist with NOT_FOUND and posts nothing', async () => {
    const postsBefore = sim.requests({ kind: 'post' }).length;
    await expect(deliver(randomUUID())).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(sim.requests({ kind: 'post' })).toHaveLength(postsBefore);
  });

  it('posts the full lead (contact data decrypted) once, and never twice to the same channel', async () => {
    const lead = demoLead();
    const { body } = await postLead(stack, apiKey, lead);
    expect(body.state).toBe('sold');
    const posts = sim.requests({ kind: 'post' });
    expect(JSON.stringify(posts.at(-1)!.body)).toContain(lead.contact.email);
    // The journey already posted this lead to the channel: a second delivery must not send it again.
    const again = await deliver(body.leadId);
    expect(again.attempts).toEqual([expect.objectContaining({ outcome: 'error', reason: 'already posted to this channel' })]);
    expect(sim.requests({ kind: 'post' })).toHaveLength(posts.length);
  });
});
