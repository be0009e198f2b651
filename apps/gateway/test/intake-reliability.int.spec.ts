import { ConfigStore } from '@pingtree/db';
import { demoLead, getLead, postLead, startTestStack, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { InterruptedLeadSweeper } from '../src/journey/interrupted-lead.sweeper';

/** One buyer behind an auction tier of campaign `demo-auto`; returns the supplier's API key. */
async function seedCampaign(stack: TestStack, sim: BuyerSim): Promise<string> {
  const store = new ConfigStore(stack.ds);
  const buyerId = await store.createBuyer({ name: 'slowish', displayName: 'slowish' });
  const channelId = await store.createChannel({ name: 'slowish', buyerId, ...simChannelCalls(sim.url, 'slowish', 'bid-json') });
  const treeId = await store.createTree({ name: 't', tiers: [{ name: 'a', logic: 'auction', channelIds: [channelId] }] });
  await store.createCampaign({ key: 'demo-auto', name: 'c', vertical: 'auto_insurance', treeId, dedupeWindowHours: 0 });
  const apiKey = (await store.createSupplier('retrying supplier')).apiKey;
  await stack.reloadConfig();
  return apiKey;
}

/** Idempotent intake, back-pressure and settling leads whose journey was cut short. */
describe('intake under retries, overload and interrupted journeys', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let apiKey: string;

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 8,
      buyers: [
        {
          key: 'slowish',
          style: 'bid-json',
          bid: { min: 7, max: 7 },
          pingRejectRate: 0,
          postRejectRate: 0,
          latencyMs: { min: 150, max: 150 },
        },
      ],
    });
    stack = await startTestStack({ env: { GATEWAY_MAX_LEADS_IN_FLIGHT: 5 } });
    apiKey = await seedCampaign(stack, sim);
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it('answers concurrent requests with the same Idempotency-Key with one lead, processed once', async () => {
    const lead = demoLead({ supplierLeadId: undefined });
    const answers = await Promise.all([1, 2, 3].map(() => postLead(stack, apiKey, lead, { 'idempotency-key': 'order-77' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.leadId)).size).toBe(1);
    expect(answers.filter((a) => a.body.replayed).length).toBe(2);
    expect(new Set(answers.map((a) => a.body.state))).toEqual(new Set(['sold']));
    const [{ n }] = await stack.ds.query(`SELECT count(*)::int AS n FROM leads WHERE id = $1`, [answers[0]!.body.leadId]);
    expect(n).toBe(1);
    const [{ posts }] = await stack.ds.query(`SELECT count(*)::int AS posts FROM post_attempts WHERE lead_id = $1`, [
      answers[0]!.body.leadId,
    ]);
    expect(posts).toBe(1);
  });

  it('treats the same supplier lead id as the same request', async () => {
    const lead = demoLead();
    const first = await postLead(stack, apiKey, lead);
    const retry = await postLead(stack, apiKey, lead);
    expect(retry.body).toMatchObject({ leadId: first.body.leadId, state: first.body.state, replayed: true });
  });

  it('sheds load with 429 and Retry-After past the in-flight limit, and recovers after', async () => {
    const burst = await Promise.all(Array.from({ length: 20 }, () => postLead(stack, apiKey, demoLead())));
    const statuses = burst.map((b) => b.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(burst.find((b) => b.status === 429)!.body.error.code).toBe('OVERLOADED');
    // Nothing accepted was lost: every 200 has a lead with a terminal state.
    for (const b of burst.filter((x) => x.status === 200))
      expect((await getLead(stack, b.body.leadId)).body.lead.state).toBe('sold');
    const after = await postLead(stack, apiKey, demoLead());
    expect(after.status).toBe(200);
  });

  it('sheds load with 429 while its event loop runs late, and takes leads again once it catches up', async () => {
    const lagging = await startTestStack({ env: { GATEWAY_MAX_EVENT_LOOP_LAG_MS: 300 } });
    try {
      const laggingKey = await seedCampaign(lagging, sim);
      // The gateway runs in this process: hold its event loop as a flood would.
      const until = Date.now() + 700;
      while (Date.now() < until) {
        /* busy */
      }
      const shed = await postLead(lagging, laggingKey, demoLead());
      expect(shed.status).toBe(429);
      expect(shed.body.error.code).toBe('OVERLOADED');
      expect(shed.body.error.message).toMatch(/ms behind/);
      // The lag is forgotten after one to two seconds; the lead is then accepted (and stored).
      await new Promise((r) => setTimeout(r, 2500));
      const taken = await postLead(lagging, laggingKey, demoLead());
      expect(taken.status).toBe(200);
      expect(taken.body.state).toBe('sold');
    } finally {
      await lagging.close();
    }
  });

  it('sheds load with 429 while a queue stands downstream, and takes leads again once it has drained', async () => {
    // A limit of 0 ms: any time the platform adds is a "standing queue" once a full second has passed.
    const queued = await startTestStack({ env: { GATEWAY_MAX_QUEUE_DELAY_MS: 0 } });
    try {
      const key = await seedCampaign(queued, sim);
      // The admission window starts with this lead: check just after it closes, however long the lead took.
      const started = Date.now();
      expect((await postLead(queued, key, demoLead())).body.state).toBe('sold');
      await new Promise((r) => setTimeout(r, Math.max(0, started + 1150 - Date.now())));
      const shed = await postLead(queued, key, demoLead());
      expect(shed.status).toBe(429);
      expect(shed.body.error.message).toMatch(/queueing/);
      // A second in which no lead finished reopens admission.
      await new Promise((r) => setTimeout(r, 2100));
      expect((await postLead(queued, key, demoLead())).status).toBe(200);
    } finally {
      await queued.close();
    }
  });

  it('settles leads left mid-journey by a crash: sold from a recorded acceptance, reconciliation for an unanswered post, expired otherwise', async () => {
    const made = await Promise.all([1, 2, 3].map(() => postLead(stack, apiKey, demoLead())));
    const [acceptedId, unknownId, pingingId] = made.map((m) => m.body.leadId as string);
    // Rewind them as a crashed gateway would have left them, past their deadline: the journey writes
    // pinging/posting only with its decision, so a crashed one left `received` (or `posting` after a choice),
    // still listed in open_leads.
    const rewind = (state: string, ids: string[]) =>
      stack.ds.query(
        `WITH rewound AS (
           UPDATE leads SET state = $2, decision = NULL, lifecycle = jsonb_build_array(lifecycle->0),
             deadline_at = now() - interval '1 minute' WHERE id = ANY($1::uuid[]) RETURNING id, deadline_at
         )
         INSERT INTO open_leads (lead_id, deadline_at) SELECT id, deadline_at FROM rewound`,
        [ids, state],
      );
    await rewind('received', [acceptedId!, pingingId!]);
    await rewind('posting', [unknownId!]);
    await stack.ds.query(`UPDATE post_attempts SET state = 'attempted', answered_at = NULL WHERE lead_id = $1`, [unknownId]);
    await stack.ds.query(`DELETE FROM post_attempts WHERE lead_id = $1`, [pingingId]);
    const sweeper = stack.services.get('gateway')![0]!.app.get(InterruptedLeadSweeper);
    expect(await sweeper.sweep(0)).toBe(3);
    const state = async (id: string) => (await getLead(stack, id)).body.lead;
    expect((await state(acceptedId!)).state).toBe('sold');
    // The states it passed are restored from its posts, each a legal step.
    expect((await state(acceptedId!)).lifecycle.map((l: { state: string }) => l.state)).toEqual([
      'received',
      'pinging',
      'posting',
      'sold',
    ]);
    expect((await state(unknownId!)).state).toBe('needs_reconciliation');
    expect((await state(pingingId!)).decision.reason).toBe('journey_interrupted');
    expect((await state(pingingId!)).state).toBe('expired');
    expect(await sweeper.sweep(0)).toBe(0); // settled once
  });
});
