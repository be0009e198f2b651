import { randomUUID } from 'node:crypto';
import { jetstream } from '@nats-io/jetstream';
import { leadEventSubject, withNamespace, type LeadEvent } from '@pingtree/contracts';
import { connectNats, ensureLeadEventStream } from '@pingtree/messaging';
import { DEMO_SUPPLIER_KEY, seedDemo } from '../../../tools/demo/seed-demo';
import { DEMO_BUYERS, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { TrailRepairSweeper } from '../src/trail-repair.sweeper';
import { demoLead, getLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';

describe('audit consumes lead events durably and idempotently', () => {
  let stack: TestStack;
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 3, buyers: DEMO_BUYERS.map((b) => ({ ...b, pingRejectRate: 0, postRejectRate: 0 })) });
    stack = await startTestStack();
    await seedDemo(stack.ds, sim.url);
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  it('keeps selling while audit is down, and the trail arrives once audit is back', async () => {
    await stack.stop('audit');
    const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
    expect(body.state).toBe('sold');
    const whileDown = await getLead(stack, body.leadId);
    expect(whileDown.status).toBe(200);
    expect(whileDown.body.lead.state).toBe('sold');
    expect(whileDown.body.trail.unavailable).toBe('NO_RESPONDERS');

    await stack.start('audit');
    const trail = await waitForFinishedTrail(stack, body.leadId);
    expect(trail.map((e) => e.type)).toEqual(expect.arrayContaining(['received', 'pinged', 'selected', 'posted', 'finished']));
  });

  it('repairs a trail whose events were lost with the process that should have published them', async () => {
    const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
    await waitForFinishedTrail(stack, body.leadId);
    // As if the gateway and post service had died before their publishes were stored.
    await stack.ds.query(
      `DELETE FROM lead_events WHERE lead_id = $1 AND type IN ('received', 'finished', 'post_attempted', 'posted')`,
      [body.leadId],
    );
    const repair = stack.services.get('audit')![0]!.app.get(TrailRepairSweeper);
    expect(await repair.sweep(0)).toBeGreaterThanOrEqual(4);
    const trail = (await getLead(stack, body.leadId)).body.trail as Array<{ type: string; data: Record<string, unknown> }>;
    expect(trail.map((e) => e.type)).toEqual(expect.arrayContaining(['received', 'post_attempted', 'posted', 'finished']));
    // `received` comes back from the lead's row: its campaign, supplier, tmax and the ping lead (no contact data).
    expect(trail.find((e) => e.type === 'received')!.data).toMatchObject({
      campaign: 'demo-auto',
      tmaxMs: expect.any(Number),
      lead: expect.objectContaining({ leadId: body.leadId }),
      repaired: true,
    });
    expect(await repair.sweep(0)).toBe(0);
  });

  it('reads only what changed since its last sweep; a restarted sweeper reads the look-back again', async () => {
    const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
    await waitForFinishedTrail(stack, body.leadId);
    const repair = stack.services.get('audit')![0]!.app.get(TrailRepairSweeper);
    await repair.sweep(0);
    // Lost events of a lead received, decided and posted an hour ago: behind the watermark.
    await loseTrailEvents(body.leadId);
    await movePast(body.leadId, '1 hour');
    expect(await repair.sweep(0)).toBe(0);

    const restarted = new TrailRepairSweeper(stack.ds);
    expect(await restarted.sweep(0)).toBeGreaterThanOrEqual(4);
    expect(await repair.sweep(0)).toBe(0);
  });

  it('watches a lead it found undecided until it is decided, however long that takes, then repairs its trail', async () => {
    const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
    await waitForFinishedTrail(stack, body.leadId);
    const repair = stack.services.get('audit')![0]!.app.get(TrailRepairSweeper);
    // Seen by a sweep while it waits for the consumer's pick.
    await stack.ds.query(`UPDATE leads SET state = 'offered' WHERE id = $1`, [body.leadId]);
    await repair.sweep(0);

    // Picked an hour later, long past any sweep's window, and sold; the events of its post and decision are lost.
    await movePast(body.leadId, '1 hour');
    await stack.ds.query(`UPDATE leads SET state = 'sold', updated_at = now() WHERE id = $1`, [body.leadId]);
    await stack.ds.query(`DELETE FROM lead_events WHERE lead_id = $1 AND type IN ('finished', 'post_attempted', 'posted')`, [
      body.leadId,
    ]);
    expect(await repair.sweep(0)).toBeGreaterThanOrEqual(3);
    const trail = (await getLead(stack, body.leadId)).body.trail as Array<{ type: string }>;
    expect(trail.filter((e) => e.type === 'finished')).toHaveLength(1);
    expect(trail.map((e) => e.type)).toEqual(expect.arrayContaining(['post_attempted', 'posted']));
    expect(await repair.sweep(0)).toBe(0);
  });

  async function loseTrailEvents(leadId: string): Promise<void> {
    await stack.ds.query(
      `DELETE FROM lead_events WHERE lead_id = $1 AND type IN ('received', 'finished', 'post_attempted', 'posted')`,
      [leadId],
    );
  }

  async function movePast(leadId: string, age: string): Promise<void> {
    await stack.ds.query(
      `UPDATE leads SET received_at = received_at - $2::interval, updated_at = updated_at - $2::interval,
         deadline_at = deadline_at - $2::interval WHERE id = $1`,
      [leadId, age],
    );
    await stack.ds.query(
      `UPDATE post_attempts SET attempted_at = attempted_at - $2::interval, answered_at = answered_at - $2::interval
       WHERE lead_id = $1`,
      [leadId, age],
    );
  }

  it('stores an event delivered twice only once', async () => {
    const nc = await connectNats(stack.env.NATS_URL, 'audit-test');
    try {
      await ensureLeadEventStream(nc, stack.env.PINGTREE_NAMESPACE);
      const leadId = randomUUID();
      const event: LeadEvent = {
        id: `${leadId}:finished`,
        leadId,
        type: 'finished',
        service: 'gateway',
        at: Date.now(),
        tierIndex: null,
        channelId: null,
        data: { state: 'unsold' },
      };
      const js = jetstream(nc);
      const subject = withNamespace(stack.env.PINGTREE_NAMESPACE, leadEventSubject('finished'));
      // No message id: JetStream keeps both copies, so only audit's idempotent write can dedupe.
      await js.publish(subject, JSON.stringify(event));
      await js.publish(subject, JSON.stringify(event));
      const until = Date.now() + 5000;
      let rows: Array<{ n: number }> = [];
      while (Date.now() < until) {
        rows = await stack.ds.query(`SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1`, [leadId]);
        if (rows[0]!.n > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      await new Promise((r) => setTimeout(r, 300)); // give a second copy time to land, if it would
      rows = await stack.ds.query(`SELECT count(*)::int AS n FROM lead_events WHERE lead_id = $1`, [leadId]);
      expect(rows[0]!.n).toBe(1);
    } finally {
      await nc.close();
    }
  });
});
