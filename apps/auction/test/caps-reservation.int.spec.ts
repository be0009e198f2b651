import { randomUUID } from 'node:crypto';
import { ConfigStore, createDataSource } from '@pingtree/db';
import { startTestStack, type TestStack } from '@pingtree/testing';
import type { DataSource } from 'typeorm';
import { CapReservationRepository, type CapWindow } from '../src/cap-reservation.repository';
import type { CatalogService } from '@pingtree/catalog';
import { CapSettlement } from '../../post/src/cap-settlement';
import { CapSettlementRepository } from '../../post/src/cap-settlement.repository';
import { startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { capWindows, createCapsCampaign, reservationStates } from './caps-fixture';

/**
 * The reservation statement alone, hammered from 10 connections: two windows with different
 * limits must move together (all or nothing), with no services in between to slow the race down.
 */
describe('cap reservation statement', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let ds: DataSource;
  let channelId: string;
  let leadIds: string[];

  const HOUR = Date.parse('2025-01-15T17:00:00.000Z');
  const windows: CapWindow[] = [
    { period: 'hour', start: HOUR, countLimit: 30, spendLimit: null },
    { period: 'day', start: Date.parse('2025-01-15T05:00:00.000Z'), countLimit: 50, spendLimit: 800 },
  ];

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 3 });
    stack = await startTestStack({ services: [] });
    ds = await createDataSource(stack.db.url, { poolSize: 10, applicationName: 'caps-race' }).initialize();
    const store = new ConfigStore(stack.ds);
    const supplier = await store.createSupplier('race supplier');
    const setup = await createCapsCampaign(stack, sim, 'caps-race', [{ period: 'day', count: 1 }]);
    channelId = setup.capped;
    const [campaign] = (await stack.ds.query(`SELECT id FROM campaigns WHERE key = $1`, [setup.campaign])) as Array<{
      id: string;
    }>;
    leadIds = Array.from({ length: 200 }, () => randomUUID());
    await stack.ds.query(
      `INSERT INTO leads (id, campaign_id, supplier_id, state, received_at, deadline_at, ping_lead, contact, consent)
       SELECT id, $2, $3, 'pinging', now(), now(), '{}', '{}', '{}' FROM unnest($1::uuid[]) AS id`,
      [leadIds, campaign!.id, supplier.id],
    );
  });

  afterAll(async () => {
    await ds?.destroy();
    await stack?.close();
    await sim?.close();
  });

  it('reserves exactly up to the tightest window, from 200 concurrent requests on fresh windows', async () => {
    // Separate repositories: each replica keeps its own idea of which windows exist.
    const replicas = [new CapReservationRepository(ds), new CapReservationRepository(ds)];
    const results = await Promise.all(
      leadIds.map((leadId, i) =>
        replicas[i % 2]!.reserve({ leadId, channelId, price: 10, windows, expiresAt: Date.now() + 60_000 }),
      ),
    );
    expect(results.filter((r) => r.reserved)).toHaveLength(30);
    expect(new Set(results.flatMap((r) => (r.reserved ? [] : r.fullPeriods)))).toEqual(new Set(['hour']));
    expect(await capWindows(stack, channelId)).toEqual([
      { period: 'day', used_count: 0, reserved_count: 30, used_spend: '0.00', reserved_spend: '300.00' },
      // Spend is counted in every window, limited or not.
      { period: 'hour', used_count: 0, reserved_count: 30, used_spend: '0.00', reserved_spend: '300.00' },
    ]);
    expect(await reservationStates(stack, channelId)).toEqual({ reserved: 30 });
  });

  it('does not reserve twice for a repeated request, and settles each reservation once', async () => {
    const held = (
      (await stack.ds.query(`SELECT lead_id FROM cap_reservations WHERE channel_id = $1 AND state = 'reserved'`, [
        channelId,
      ])) as Array<{ lead_id: string }>
    ).map((r) => r.lead_id);
    const repo = new CapReservationRepository(ds);
    expect(await repo.reserve({ leadId: held[0]!, channelId, price: 10, windows, expiresAt: Date.now() })).toEqual({
      reserved: true,
    });
    expect((await capWindows(stack, channelId)).map((w) => w.reserved_count)).toEqual([30, 30]);

    // Commit 10 and release 20, each from two "replicas" at once: every settlement lands once.
    const settle = new CapSettlementRepository(ds);
    await Promise.all(
      held.flatMap((leadId, i): Array<Promise<unknown>> =>
        i < 10
          ? [settle.commit(leadId, channelId), settle.commit(leadId, channelId)]
          : [settle.release(leadId, [channelId]), settle.release(leadId, [channelId])],
      ),
    );
    expect(await reservationStates(stack, channelId)).toEqual({ committed: 10, released: 20 });
    expect(await capWindows(stack, channelId)).toEqual([
      { period: 'day', used_count: 10, reserved_count: 0, used_spend: '100.00', reserved_spend: '0.00' },
      { period: 'hour', used_count: 10, reserved_count: 0, used_spend: '100.00', reserved_spend: '0.00' },
    ]);
  });

  it('gives a reconciled non-sale its room back, once, whether its reservation was still held or counted as used', async () => {
    const committed = (
      (await stack.ds.query(`SELECT lead_id FROM cap_reservations WHERE channel_id = $1 AND state = 'committed'`, [
        channelId,
      ])) as Array<{ lead_id: string }>
    ).map((r) => r.lead_id);
    const repo = new CapReservationRepository(ds);
    const reserved = (
      (await stack.ds.query(`SELECT lead_id FROM cap_reservations WHERE channel_id = $1`, [channelId])) as Array<{
        lead_id: string;
      }>
    ).map((r) => r.lead_id);
    const stillHeld = leadIds.find((id) => !reserved.includes(id))!;
    expect(await repo.reserve({ leadId: stillHeld, channelId, price: 10, windows, expiresAt: Date.now() + 60_000 })).toEqual({
      reserved: true,
    });
    // As the callback and reconciliation handlers settle a late answer. An empty catalog: a channel
    // it doesn't know may still hold room, so it is settled.
    const late = new CapSettlement(
      { current: { channel: () => undefined } } as unknown as CatalogService,
      new CapSettlementRepository(ds),
    );
    // Two operators' clicks each: the committed one goes from used back to free, the held one is released.
    await Promise.all(
      [committed[0]!, stillHeld].flatMap((leadId) => [
        late.afterLateAnswer(leadId, channelId, 'rejected'),
        late.afterLateAnswer(leadId, channelId, 'rejected'),
      ]),
    );
    expect(await reservationStates(stack, channelId)).toEqual({ committed: 9, released: 22 });
    expect(await capWindows(stack, channelId)).toEqual([
      { period: 'day', used_count: 9, reserved_count: 0, used_spend: '90.00', reserved_spend: '0.00' },
      { period: 'hour', used_count: 9, reserved_count: 0, used_spend: '90.00', reserved_spend: '0.00' },
    ]);
  });
});
