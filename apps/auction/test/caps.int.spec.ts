import { ConfigStore } from '@pingtree/db';
import { demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { CapReservationSweeper } from '../../post/src/cap-reservation.sweeper';
import { startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { capWindows, createCapsCampaign, reservationStates } from './caps-fixture';

/** Reserve on selection, commit on an accepted post, release on anything else or on expiry. */
describe('channel caps', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let apiKey: string;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 5 });
    stack = await startTestStack({ replicas: { post: 2 } });
    apiKey = (await new ConfigStore(stack.ds).createSupplier('caps supplier')).apiKey;
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  const sell = async (campaign: string) => {
    const { status, body } = await postLead(stack, apiKey, demoLead({ campaign }));
    expect(status).toBe(200);
    return body;
  };
  const buyerOf = (decision: Record<string, any>) => decision.sales?.[0]?.channelId as string | undefined;
  const passedOverReason = async (leadId: string, channelId: string) => {
    const trail = await waitForFinishedTrail(stack, leadId);
    return trail.find((e) => e.type === 'passed_over' && e.channelId === channelId)?.data.reason as string | undefined;
  };

  it('gives the room back when the buyer rejects the post', async () => {
    const c = await createCapsCampaign(stack, sim, 'caps-reject', [{ period: 'day', count: 1 }]);
    sim.setBuyer({ key: 'caps-reject-capped', style: 'bid-json', bid: { min: 20, max: 20 }, postRejectRate: 1 });

    // The capped channel wins, rejects the post: the lead falls to the fallback and the slot returns.
    const rejected = await sell(c.campaign);
    expect(buyerOf(rejected)).toBe(c.fallback);
    expect(await capWindows(stack, c.capped)).toEqual([
      { period: 'day', used_count: 0, reserved_count: 0, used_spend: '0.00', reserved_spend: '0.00' },
    ]);
    expect(await reservationStates(stack, c.capped)).toEqual({ released: 1 });

    // The buyer accepts again: the one slot is still there and sells.
    sim.setBuyer({ key: 'caps-reject-capped', style: 'bid-json', bid: { min: 20, max: 20 }, postRejectRate: 0 });
    expect(buyerOf(await sell(c.campaign))).toBe(c.capped);

    // Now it is full: passed over with the reason on the trail.
    const full = await sell(c.campaign);
    expect(buyerOf(full)).toBe(c.fallback);
    expect(await passedOverReason(full.leadId, c.capped)).toBe('cap_reached (day)');
    expect(await capWindows(stack, c.capped)).toEqual([
      { period: 'day', used_count: 1, reserved_count: 0, used_spend: '20.00', reserved_spend: '0.00' },
    ]);
  });

  it('releases the room of a capped runner-up the post never reached', async () => {
    const c = await createCapsCampaign(stack, sim, 'caps-unreached', [{ period: 'day', count: 5 }], {
      fallbackCaps: [{ period: 'week', count: 5 }],
    });
    expect(buyerOf(await sell(c.campaign))).toBe(c.capped);
    // Both were reserved at selection; the winner's sale committed, the runner-up's room came back.
    expect(await reservationStates(stack, c.capped)).toEqual({ committed: 1 });
    expect(await reservationStates(stack, c.fallback)).toEqual({ released: 1 });
    expect(await capWindows(stack, c.fallback)).toEqual([
      { period: 'week', used_count: 0, reserved_count: 0, used_spend: '0.00', reserved_spend: '0.00' },
    ]);
  });

  it('stops at a spend cap: 20 a lead under a daily budget of 50 sells two', async () => {
    const c = await createCapsCampaign(stack, sim, 'caps-spend', [{ period: 'day', spend: 50 }]);
    const buyers = [];
    for (let i = 0; i < 3; i++) buyers.push(buyerOf(await sell(c.campaign)));
    expect(buyers).toEqual([c.capped, c.capped, c.fallback]);
    expect(await capWindows(stack, c.capped)).toEqual([
      { period: 'day', used_count: 2, reserved_count: 0, used_spend: '40.00', reserved_spend: '0.00' },
    ]);
  });

  it('counts a sale in every window and stops at the first full one', async () => {
    const c = await createCapsCampaign(stack, sim, 'caps-windows', [
      { period: 'hour', count: 2 },
      { period: 'month', count: 10, spend: 1000 },
    ]);
    const buyers = [];
    for (let i = 0; i < 3; i++) buyers.push(buyerOf(await sell(c.campaign)));
    expect(buyers).toEqual([c.capped, c.capped, c.fallback]);
    const rows = await capWindows(stack, c.capped);
    expect(rows.map((r) => [r.period, r.used_count, r.reserved_count])).toEqual([
      ['hour', 2, 0],
      ['month', 2, 0],
    ]);
  });

  it('releases a reservation left by a post service that died, once, whichever replica sweeps', async () => {
    const c = await createCapsCampaign(stack, sim, 'caps-expiry', [{ period: 'day', count: 5 }]);

    // No post service: the lead is selected (room reserved) and then cannot be posted.
    await stack.stop('post');
    const orphan = await sell(c.campaign);
    expect(orphan.state).not.toBe('sold');
    expect(await reservationStates(stack, c.capped)).toEqual({ reserved: 1 });
    expect((await capWindows(stack, c.capped))[0]).toMatchObject({ used_count: 0, reserved_count: 1 });

    await stack.start('post');
    await stack.start('post');
    const sweepers = stack.services.get('post')!.map((s) => s.app.get(CapReservationSweeper));

    // Not yet expired: the sweepers leave it alone.
    expect(await Promise.all(sweepers.map((s) => s.sweep()))).toEqual([
      { committed: 0, released: 0 },
      { committed: 0, released: 0 },
    ]);
    // Time passes (moved, not waited for): past the lead's deadline and the grace.
    await stack.ds.query(`UPDATE cap_reservations SET expires_at = now() - interval '1 second' WHERE channel_id = $1`, [
      c.capped,
    ]);
    const swept = await Promise.all(sweepers.map((s) => s.sweep()));
    expect(swept.reduce((n, s) => n + s.released, 0)).toBeLessThanOrEqual(1);
    expect(await reservationStates(stack, c.capped)).toEqual({ released: 1 });
    expect((await capWindows(stack, c.capped))[0]).toMatchObject({ used_count: 0, reserved_count: 0, reserved_spend: '0.00' });

    // The room is back: the next lead sells to the capped channel.
    expect(buyerOf(await sell(c.campaign))).toBe(c.capped);
  });

  it('commits, rather than releases, an expired reservation whose post was accepted', async () => {
    const c = await createCapsCampaign(stack, sim, 'caps-lost-commit', [{ period: 'day', count: 5 }]);
    expect(buyerOf(await sell(c.campaign))).toBe(c.capped);
    // As if the post service died between the buyer's "accepted" and the commit.
    await stack.ds.transaction(async (m) => {
      await m.query(
        `UPDATE cap_reservations SET state = 'reserved', settled_at = NULL, expires_at = now() - interval '1 second'
         WHERE channel_id = $1`,
        [c.capped],
      );
      await m.query(
        `UPDATE channel_cap_windows SET used_count = 0, used_spend = 0, reserved_count = 1, reserved_spend = 20
         WHERE channel_id = $1`,
        [c.capped],
      );
    });
    await stack.services.get('post')![0]!.app.get(CapReservationSweeper).sweep();
    expect(await reservationStates(stack, c.capped)).toEqual({ committed: 1 });
    expect((await capWindows(stack, c.capped))[0]).toMatchObject({ used_count: 1, reserved_count: 0, used_spend: '20.00' });
  });

  it('paces a daily cap evenly: about half of it by local noon', async () => {
    // The channel's zone is chosen so that it is about noon there now (see zoneNearNoon).
    const c = await createCapsCampaign(stack, sim, 'caps-paced', [{ period: 'day', count: 10 }], { pacing: { mode: 'even' } });
    const buyers = [];
    for (let i = 0; i < 8; i++) buyers.push(buyerOf(await sell(c.campaign)));
    const toCapped = buyers.filter((b) => b === c.capped).length;
    // Between 12:00 and 13:00 local: ceil(10 × 0.50..0.54) = 5 or 6.
    expect(toCapped).toBeGreaterThanOrEqual(5);
    expect(toCapped).toBeLessThanOrEqual(6);
    expect(buyers.slice(0, toCapped).every((b) => b === c.capped)).toBe(true);
    const lastLead = (await sell(c.campaign)).leadId as string;
    expect(await passedOverReason(lastLead, c.capped)).toMatch(/^cap_reached \(day, paced: [56] of 10 by now\)$/);
  });
});
