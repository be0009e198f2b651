import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  AUDIT_DURABLE,
  LEAD_EVENT_BATCH_SUBJECT,
  leadEventsStreamName,
  leadEventSubject,
  withNamespace,
  type LeadEventBatch,
} from '@pingtree/contracts';
import { batchMessageId, connectNats, LeadEventPublisher } from '@pingtree/messaging';
import { pingStepEvents, startTestStack, type TestStack } from '@pingtree/testing';
import { LeadEventRepository } from '../src/lead-event.repository';

describe('audit stores batched lead events, one row per event, once', () => {
  let stack: TestStack;
  let nc: NatsConnection;
  let publisher: LeadEventPublisher;

  const subject = (s: string) => withNamespace(stack.env.PINGTREE_NAMESPACE, s);
  const rows = async (leadId: string): Promise<string[]> =>
    ((await stack.ds.query(`SELECT id FROM lead_events WHERE lead_id = $1 ORDER BY id`, [leadId])) as Array<{ id: string }>).map(
      (r) => r.id,
    );
  /** Rows once audit has stored or settled everything in the stream (it acks only after storing). */
  const rowsWhenCaughtUp = async (leadId: string): Promise<string[]> => {
    const jsm = await jetstreamManager(nc);
    const until = Date.now() + 5000;
    for (;;) {
      const consumer = await jsm.consumers.info(leadEventsStreamName(stack.env.PINGTREE_NAMESPACE), AUDIT_DURABLE);
      if (consumer.num_pending + consumer.num_ack_pending === 0) return rows(leadId);
      if (Date.now() > until) throw new Error('audit did not catch up');
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const streamMessages = async (): Promise<number> => {
    const jsm = await jetstreamManager(nc);
    return (await jsm.streams.info(leadEventsStreamName(stack.env.PINGTREE_NAMESPACE))).state.messages;
  };

  beforeAll(async () => {
    stack = await startTestStack({ services: ['audit'] });
    nc = await connectNats(stack.env.NATS_URL, 'lead-event-batch-test');
    publisher = stack.services.get('audit')![0]!.app.get(LeadEventPublisher);
  });

  afterAll(async () => {
    await nc?.close();
    await stack?.close();
  });

  it('publishes a step as one message that lands as one row per event', async () => {
    const leadId = randomUUID();
    const events = pingStepEvents(leadId, 4);
    const before = await streamMessages();
    publisher.emitAll(events);
    await publisher.flush();
    expect(await streamMessages()).toBe(before + 1);
    expect(await rowsWhenCaughtUp(leadId)).toEqual(events.map((e) => e.id).sort());

    // A retried publish carries the same message id: the stream drops it, the rows stay.
    publisher.emitAll(events);
    await publisher.flush();
    expect(await streamMessages()).toBe(before + 1);
    expect(await rowsWhenCaughtUp(leadId)).toHaveLength(4);
  });

  it('gives different batches that start alike different message ids', () => {
    const leadId = randomUUID();
    const events = pingStepEvents(leadId, 3);
    expect(batchMessageId(events)).toBe(batchMessageId([...events]));
    expect(batchMessageId(events)).not.toBe(batchMessageId([events[0]!, events[2]!, events[1]!]));
    expect(batchMessageId(events)).not.toBe(batchMessageId([events[0]!, events[1]!, { ...events[2]!, id: 'other' }]));
  });

  it('stores a batch delivered twice only once', async () => {
    const leadId = randomUUID();
    const batch: LeadEventBatch = { events: pingStepEvents(leadId, 3) };
    const js = jetstream(nc);
    // No message id: JetStream keeps both copies, so only audit's idempotent write can dedupe.
    await js.publish(subject(LEAD_EVENT_BATCH_SUBJECT), JSON.stringify(batch));
    await js.publish(subject(LEAD_EVENT_BATCH_SUBJECT), JSON.stringify(batch));
    expect(await rowsWhenCaughtUp(leadId)).toEqual(batch.events.map((e) => e.id).sort());
  });

  it('still stores an old-style message holding one plain event', async () => {
    const leadId = randomUUID();
    const [event] = pingStepEvents(leadId, 1);
    await jetstream(nc).publish(subject(leadEventSubject('pinged')), JSON.stringify(event), { msgID: event!.id });
    expect(await rowsWhenCaughtUp(leadId)).toEqual([event!.id]);
  });

  it('sends a single event as a plain event on its type subject, as core subscribers expect', async () => {
    const leadId = randomUUID();
    const [event] = pingStepEvents(leadId, 1);
    const sub = nc.subscribe(subject(leadEventSubject('pinged')), { max: 1 });
    await nc.flush(); // the subscription is on the server before the publisher's connection sends
    publisher.emit(event!);
    for await (const msg of sub) expect(msg.json()).toEqual(event);
    expect(await rowsWhenCaughtUp(leadId)).toEqual([event!.id]);
  });

  it('stores a steady trickle of messages a few statements at a time, and a lone message at once', async () => {
    const repository = stack.services.get('audit')![0]!.app.get(LeadEventRepository);
    const inserts = jest.spyOn(repository, 'insertMany');
    try {
      // 60 messages 5 ms apart (~300 ms): one store per message would be 60 statements.
      const leads = Array.from({ length: 60 }, () => randomUUID());
      const trickleStarted = Date.now();
      for (const leadId of leads) {
        publisher.emitAll(pingStepEvents(leadId, 2));
        await new Promise((r) => setTimeout(r, 5));
      }
      await publisher.flush();
      // At most one store per 50 ms while they arrive (a loaded machine stretches the trickle), never one per message.
      const storesAllowed = Math.min(40, Math.ceil((Date.now() - trickleStarted) / 50) + 5);
      for (const leadId of leads) expect(await rowsWhenCaughtUp(leadId)).toHaveLength(2);
      expect(inserts.mock.calls.length).toBeLessThanOrEqual(storesAllowed);

      // After a quiet moment, one message is stored without waiting for company.
      await new Promise((r) => setTimeout(r, 200));
      const lone = randomUUID();
      const started = Date.now();
      publisher.emitAll(pingStepEvents(lone, 2));
      while ((await rows(lone)).length < 2) {
        expect(Date.now() - started).toBeLessThan(1000);
        await new Promise((r) => setTimeout(r, 10));
      }
    } finally {
      inserts.mockRestore();
    }
  });

  it('stores the rest of a batch when one of its events cannot be stored, and moves on', async () => {
    const leadId = randomUUID();
    const events = pingStepEvents(leadId, 3);
    // PostgreSQL's jsonb refuses \u0000: the batch insert fails, the one-by-one fallback drops only this event.
    events[1] = { ...events[1]!, data: { bad: 'nul\u0000byte' } };
    publisher.emitAll(events);
    await publisher.flush();
    expect(await rowsWhenCaughtUp(leadId)).toEqual([events[0]!.id, events[2]!.id].sort());

    // The message was settled, not left to be redelivered: later events keep flowing.
    const next = randomUUID();
    publisher.emitAll(pingStepEvents(next, 2));
    await publisher.flush();
    expect(await rowsWhenCaughtUp(next)).toHaveLength(2);
  });
});
