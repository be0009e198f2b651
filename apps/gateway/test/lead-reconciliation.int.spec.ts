import { randomUUID } from 'node:crypto';
import { demoLead, getLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { request } from 'undici';
import { DEMO_SUPPLIER_KEY, seedDemo } from '../../../tools/demo/seed-demo';
import { DEMO_BUYERS, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { leaveInReconciliation } from './reconciliation-fixture';

describe('an operator reconciles a lead whose post answer the platform never got', () => {
  let stack: TestStack;
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 11, buyers: DEMO_BUYERS.map((b) => ({ ...b, pingRejectRate: 0, postRejectRate: 0 })) });
    stack = await startTestStack();
    await seedDemo(stack.ds, sim.url);
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  /** A lead whose gateway died after the post went out: the sweeper leaves it in needs_reconciliation. */
  async function unansweredPost(): Promise<{ leadId: string; channelId: string }> {
    const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
    expect(body.state).toBe('sold');
    await waitForFinishedTrail(stack, body.leadId);
    return { leadId: body.leadId, channelId: await leaveInReconciliation(stack, body.leadId) };
  }

  async function reconcile(leadId: string, body: unknown, headers: Record<string, string> = {}) {
    const res = await request(`${stack.gatewayUrl}/v1/admin/leads/${leadId}/reconciliation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-key': stack.env.ADMIN_API_KEY, ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, body: (await res.body.json()) as Record<string, any> };
  }

  async function postState(leadId: string): Promise<string> {
    const [row] = (await stack.ds.query(`SELECT state FROM post_attempts WHERE lead_id = $1`, [leadId])) as Array<{
      state: string;
    }>;
    return row!.state;
  }

  async function buyerSales(leadId: string): Promise<number> {
    const [row] = (await stack.ds.query(`SELECT count(*)::int AS n FROM buyer_sales WHERE lead_id = $1`, [leadId])) as Array<{
      n: number;
    }>;
    return row!.n;
  }

  it('sells the lead when the buyer says it bought, and the trail names the operator', async () => {
    const { leadId, channelId } = await unansweredPost();
    const res = await reconcile(leadId, { channelId, outcome: 'accepted' }, { 'x-admin-user': 'ops-jane' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      leadId,
      state: 'sold',
      post: { channelId, outcome: 'accepted', previous: 'attempted', duplicate: false },
    });
    expect(await postState(leadId)).toBe('accepted');
    expect(await buyerSales(leadId)).toBeGreaterThan(0);

    // Both decisions stay in the trail: reconciliation first, then the sale.
    let trail: Array<{ type: string; data: Record<string, unknown> }> = [];
    for (let i = 0; i < 50; i++) {
      trail = (await getLead(stack, leadId)).body.trail;
      if (trail.filter((e) => e.type === 'finished').length === 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(trail.filter((e) => e.type === 'finished').map((e) => e.data['state'])).toEqual(['needs_reconciliation', 'sold']);
    expect(trail.find((e) => e.type === 'posted' && e.data['via'] === 'reconciliation')!.data).toMatchObject({
      outcome: 'accepted',
      previous: 'attempted',
      author: 'ops-jane',
    });

    // Settled once: the lead is no longer waiting for anyone.
    const again = await reconcile(leadId, { channelId, outcome: 'accepted' });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain('this one is sold');
  });

  it('leaves the lead unsold when the buyer did not buy, with the reason given', async () => {
    const { leadId, channelId } = await unansweredPost();
    const res = await reconcile(leadId, { channelId, outcome: 'rejected', reason: 'buyer says the post never arrived' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ state: 'unsold', post: { outcome: 'rejected', duplicate: false } });
    expect(await postState(leadId)).toBe('rejected');
    expect(await buyerSales(leadId)).toBe(0);
    const lead = (await getLead(stack, leadId)).body.lead;
    expect(lead.decision.reason).toBe('the buyer did not buy it, as reconciled');
  });

  it('refuses what it cannot act on, saying why', async () => {
    const { leadId, channelId } = await unansweredPost();
    const invalid = await reconcile(leadId, { channelId: 'not-a-uuid', outcome: 'maybe' });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error.fields.map((d: { field: string }) => d.field).sort()).toEqual(['channelId', 'outcome']);
    expect((await reconcile(leadId, { channelId, outcome: 'accepted', extra: 1 })).status).toBe(422);
    expect((await reconcile('lead-1', { channelId, outcome: 'accepted' })).status).toBe(400);
    expect((await reconcile(randomUUID(), { channelId, outcome: 'accepted' })).status).toBe(404);
    const otherChannel = await reconcile(leadId, { channelId: randomUUID(), outcome: 'accepted' });
    expect(otherChannel.status).toBe(404);
    expect(otherChannel.body.error.message).toContain('never posted to that channel');
    const res = await request(`${stack.gatewayUrl}/v1/admin/leads/${leadId}/reconciliation`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ channelId, outcome: 'accepted' }),
    });
    expect(res.statusCode).toBe(401);
    await res.body.dump();
    // Nothing above changed the lead or its post.
    expect((await getLead(stack, leadId)).body.lead.state).toBe('needs_reconciliation');
    expect(await postState(leadId)).toBe('attempted');
  });
});
