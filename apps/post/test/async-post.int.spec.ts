import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { ConfigStore } from '@pingtree/db';
import { demoLead, getLead, postLead, startTestStack, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim, type SimBuyerInput } from '../../buyer-sim/src';
import { CallbackTimeoutSweeper } from '../../gateway/src/callbacks/callback-timeout.sweeper';

const SECRET = 'callback-secret-0123456789';

/** Buyers that answer a post "pending" and confirm later through a signed callback. */
describe('async post outcome by buyer callback', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  const apiKeys: Record<string, string> = {};

  const buyers: Array<SimBuyerInput & { key: string }> = [
    { key: 'confirms', style: 'bid-json', bid: { min: 9, max: 9 }, callback: { delayMs: 150 }, callbackSecret: SECRET },
    {
      key: 'declines',
      style: 'bid-json',
      bid: { min: 9, max: 9 },
      postRejectRate: 1,
      callback: { delayMs: 150 },
      callbackSecret: SECRET,
    },
    {
      key: 'twice',
      style: 'bid-json',
      bid: { min: 9, max: 9 },
      callback: { delayMs: 150, duplicate: true },
      callbackSecret: SECRET,
    },
    { key: 'late', style: 'bid-json', bid: { min: 9, max: 9 }, callback: { delayMs: 2500, late: true }, callbackSecret: SECRET },
  ];

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 12, buyers: buyers.map((b) => ({ pingRejectRate: 0, postRejectRate: 0, ...b })) });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    for (const b of buyers) {
      const buyerId = await store.createBuyer({ name: b.key, displayName: b.key });
      const channelId = await store.createChannel({
        name: b.key,
        buyerId,
        ...simChannelCalls(sim.url, b.key, 'bid-json', { asyncPost: true }),
        asyncPost: { secret: SECRET, timeoutSeconds: 60 },
      });
      const treeId = await store.createTree({ name: b.key, tiers: [{ name: 'a', logic: 'auction', channelIds: [channelId] }] });
      await store.createCampaign({ key: b.key, name: b.key, vertical: 'auto_insurance', treeId, dedupeWindowHours: 0 });
      apiKeys[b.key] = (await store.createSupplier(`${b.key} supplier`)).apiKey;
    }
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  const sell = async (key: string) => {
    const { status, body } = await postLead(stack, apiKeys[key]!, demoLead({ campaign: key }));
    expect(status).toBe(200);
    return body as { leadId: string; state: string };
  };

  async function stateBecomes(leadId: string, wanted: string, timeoutMs = 8000): Promise<any> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const lead = (await getLead(stack, leadId)).body.lead;
      if (lead.state === wanted) return lead;
      if (Date.now() > until) throw new Error(`lead ${leadId} stayed ${lead.state}, wanted ${wanted}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('answers awaiting_callback, then sells when the buyer confirms', async () => {
    const lead = await sell('confirms');
    expect(lead.state).toBe('awaiting_callback');
    const sold = await stateBecomes(lead.leadId, 'sold');
    expect(sold.decision.sales[0].price).toBe(9);
    expect(sold.lifecycle.map((l: { state: string }) => l.state)).toEqual([
      'received',
      'pinging',
      'posting',
      'awaiting_callback',
      'sold',
    ]);
  });

  it('ends unsold when the buyer rejects in its callback', async () => {
    const lead = await sell('declines');
    const unsold = await stateBecomes(lead.leadId, 'unsold');
    expect(unsold.decision.reason).toMatch(/rejected/);
  });

  it('applies a duplicate callback once and answers it as a duplicate', async () => {
    const lead = await sell('twice');
    await stateBecomes(lead.leadId, 'sold');
    const until = Date.now() + 5000;
    while (sim.callbacks({ buyer: 'twice' }).filter((c) => c.reply).length < 2 && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    const replies = sim
      .callbacks({ buyer: 'twice' })
      .map((c) => (c.reply && 'body' in c.reply ? (JSON.parse(c.reply.body) as { status: string }).status : 'no reply'));
    expect(replies.sort()).toEqual(['duplicate', 'recorded']);
    const [{ n }] = await stack.ds.query(
      `SELECT count(*)::int AS n FROM post_attempts WHERE lead_id = $1 AND state = 'accepted'`,
      [lead.leadId],
    );
    expect(n).toBe(1);
  });

  it('sends a lead whose callback is overdue to reconciliation, and settles it when the late callback comes', async () => {
    const lead = await sell('late');
    expect(lead.state).toBe('awaiting_callback');
    await stack.ds.query(`UPDATE post_attempts SET callback_deadline = now() - interval '1 second' WHERE lead_id = $1`, [
      lead.leadId,
    ]);
    await stack.services.get('gateway')![0]!.app.get(CallbackTimeoutSweeper).sweep();
    await stateBecomes(lead.leadId, 'needs_reconciliation', 2000);
    const settled = await stateBecomes(lead.leadId, 'sold');
    expect(settled.lifecycle.map((l: { state: string }) => l.state)).toContain('needs_reconciliation');
    const [{ late }] = await stack.ds.query(`SELECT late FROM post_attempts WHERE lead_id = $1`, [lead.leadId]);
    expect(late).toBe(true);
  });

  it('refuses a callback whose signature does not verify', async () => {
    const lead = await sell('confirms');
    const [{ id }] = await stack.ds.query(`SELECT id::text AS id FROM post_attempts WHERE lead_id = $1`, [lead.leadId]);
    const body = JSON.stringify({ ref: 'forged', status: 'accepted' });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const forged = createHmac('sha256', 'not-the-secret').update(`${timestamp}.${body}`).digest('hex');
    const res = await request(`${stack.gatewayUrl}/v1/callbacks/posts/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-pingtree-timestamp': timestamp, 'x-pingtree-signature': forged },
      body,
    });
    expect(res.statusCode).toBe(401);
    expect(((await res.body.json()) as any).error.code).toBe('UNAUTHORIZED');
  });
});
