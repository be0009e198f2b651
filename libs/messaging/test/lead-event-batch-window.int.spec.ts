import { randomUUID } from 'node:crypto';
import { jetstreamManager, PubHeaders, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  AUDIT_DURABLE,
  LEAD_EVENT_BATCH_SUBJECT,
  leadEventsStreamName,
  leadEventSubject,
  withNamespace,
  type LeadEventBatch,
  type ServiceName,
} from '@pingtree/contracts';
import { pingStepEvents, startTestStack, type TestStack } from '@pingtree/testing';
import { batchMessageId, connectNats, LeadEventPublisher } from '../src';

const WINDOW_MS = 300;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The batch window against real JetStream and a real audit: ping, auction and post gather their
 * events across leads for LEAD_EVENTS_BATCH_WINDOW_MS; the gateway publishes at once.
 */
describe('lead events gathered in a batch window', () => {
  let stack: TestStack;
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let stream: string;

  const publisherOf = (service: ServiceName) => stack.services.get(service)![0]!.app.get(LeadEventPublisher);
  /** A publisher of its own with the given window, on this test's connection. */
  const windowedPublisher = (leadEventsBatchWindowMs: number) =>
    new LeadEventPublisher(nc, {
      service: 'ping',
      natsUrl: stack.env.NATS_URL,
      namespace: stack.env.PINGTREE_NAMESPACE,
      leadEventsBatchWindowMs,
    });
  const streamMessages = async () => (await jsm.streams.info(stream)).state.messages;
  const lastSeq = async () => (await jsm.streams.info(stream)).state.last_seq;
  /** Rows once audit has stored or settled everything in the stream (it acks only after storing). */
  const rowsWhenCaughtUp = async (leadIds: string[]): Promise<string[]> => {
    const until = Date.now() + 5000;
    while (Date.now() < until) {
      const consumer = await jsm.consumers.info(stream, AUDIT_DURABLE);
      if (consumer.num_pending + consumer.num_ack_pending === 0) {
        const rows = (await stack.ds.query(`SELECT id FROM lead_events WHERE lead_id = ANY($1::uuid[]) ORDER BY id`, [
          leadIds,
        ])) as Array<{ id: string }>;
        return rows.map((r) => r.id);
      }
      await sleep(50);
    }
    throw new Error('audit did not catch up');
  };
  /** Waits (without flushing) until the stream holds `count` messages. */
  const streamReaches = async (count: number, withinMs: number) => {
    const until = Date.now() + withinMs;
    while ((await streamMessages()) < count) {
      if (Date.now() > until) throw new Error(`stream did not reach ${count} messages`);
      await sleep(10);
    }
  };

  beforeAll(async () => {
    stack = await startTestStack({
      services: ['gateway', 'ping', 'auction', 'post', 'audit'],
      env: { LEAD_EVENTS_BATCH_WINDOW_MS: WINDOW_MS },
    });
    nc = await connectNats(stack.env.NATS_URL, 'lead-event-batch-window-test');
    jsm = await jetstreamManager(nc);
    stream = leadEventsStreamName(stack.env.PINGTREE_NAMESPACE);
  });

  afterAll(async () => {
    await nc?.close();
    await stack?.close();
  });

  it('publishes steps of several leads emitted within the window as ONE message, stored as one row per event', async () => {
    const publisher = publisherOf('ping');
    const leads = [randomUUID(), randomUUID(), randomUUID()];
    const events = [...pingStepEvents(leads[0]!, 3), ...pingStepEvents(leads[1]!, 2), ...pingStepEvents(leads[2]!, 1)];
    const before = await streamMessages();
    const started = Date.now();
    publisher.emitAll(events.slice(0, 3));
    publisher.emitAll(events.slice(3, 5));
    publisher.emit(events[5]!);

    await sleep(WINDOW_MS / 3);
    expect(await streamMessages()).toBe(before); // still gathering
    await streamReaches(before + 1, 3000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(WINDOW_MS - 5);

    const stored = (await jsm.streams.getMessage(stream, { seq: await lastSeq() }))!;
    expect(stored.subject).toBe(withNamespace(stack.env.PINGTREE_NAMESPACE, LEAD_EVENT_BATCH_SUBJECT));
    expect(stored.json<LeadEventBatch>().events).toEqual(events);
    // Deterministic from the contents: a retry of this message is dropped by the stream.
    expect(stored.header.get(PubHeaders.MsgIdHdr)).toBe(batchMessageId(events));
    expect(await rowsWhenCaughtUp(leads)).toEqual(events.map((e) => e.id).sort());
    expect(await streamMessages()).toBe(before + 1);
  });

  it('publishes a single event gathered alone as a plain event on its type subject', async () => {
    const [event] = pingStepEvents(randomUUID(), 1);
    const sub = nc.subscribe(withNamespace(stack.env.PINGTREE_NAMESPACE, leadEventSubject('pinged')), { max: 1 });
    await nc.flush(); // the subscription is on the server before the publisher's connection sends
    publisherOf('post').emit(event!);
    for await (const msg of sub) expect(msg.json()).toEqual(event);
    expect(await rowsWhenCaughtUp([event!.leadId])).toEqual([event!.id]);
  });

  it('gathers in the gateway, ping, auction and post, and publishes at once without a window', async () => {
    for (const service of ['gateway', 'ping', 'auction', 'post'] as const) {
      const before = await streamMessages();
      publisherOf(service).emitAll(pingStepEvents(randomUUID(), 2));
      publisherOf(service).emitAll(pingStepEvents(randomUUID(), 2));
      await publisherOf(service).flush();
      expect({ service, messages: (await streamMessages()) - before }).toEqual({ service, messages: 1 });
    }

    // Window 0: each step is its own message, sent before emitAll returns (no timer to wait for).
    const atOnce = windowedPublisher(0); // as filter publishes
    const before = await streamMessages();
    atOnce.emitAll(pingStepEvents(randomUUID(), 2));
    atOnce.emitAll(pingStepEvents(randomUUID(), 2));
    await streamReaches(before + 2, WINDOW_MS - 50); // a gathered message could not be there before WINDOW_MS
    await atOnce.flush();
    expect(await streamMessages()).toBe(before + 2);
  });

  it('flush() publishes what the window holds at once, and waits for it to be stored', async () => {
    const publisher = windowedPublisher(60_000);
    const leads = [randomUUID(), randomUUID()];
    const before = await streamMessages();
    publisher.emitAll(pingStepEvents(leads[0]!, 2));
    publisher.emitAll(pingStepEvents(leads[1]!, 2));
    const started = Date.now();
    await publisher.flush();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await streamMessages()).toBe(before + 1);
    expect(await rowsWhenCaughtUp(leads)).toHaveLength(4);
  });

  it('publishes a full window without waiting for its timer: at most 200 events a message', async () => {
    const publisher = windowedPublisher(60_000);
    const leads = Array.from({ length: 45 }, () => randomUUID());
    const before = await streamMessages();
    for (const leadId of leads) publisher.emitAll(pingStepEvents(leadId, 10)); // 450 events
    await streamReaches(before + 2, 3000); // two full messages went out, the last 50 wait
    expect(await streamMessages()).toBe(before + 2);
    await publisher.flush();
    expect(await streamMessages()).toBe(before + 3);
    expect(await rowsWhenCaughtUp(leads)).toHaveLength(450);
  });

  it('starts a new message before one would pass 256k characters', async () => {
    const publisher = windowedPublisher(60_000);
    const leadId = randomUUID();
    const big = pingStepEvents(leadId, 5).map((e) => ({ ...e, data: { answer: 'x'.repeat(100_000) } }));
    const before = await streamMessages();
    publisher.emitAll(big); // 2 + 2 go out as they fill up, the fifth waits
    await streamReaches(before + 2, 3000);
    expect(await streamMessages()).toBe(before + 2);
    await publisher.flush();
    expect(await streamMessages()).toBe(before + 3);
    expect(await rowsWhenCaughtUp([leadId])).toHaveLength(5);
  });

  it('publishes what the window holds when the service shuts down gracefully', async () => {
    const leads = [randomUUID(), randomUUID()];
    const before = await streamMessages();
    publisherOf('auction').emitAll(pingStepEvents(leads[0]!, 2));
    publisherOf('auction').emitAll(pingStepEvents(leads[1]!, 3));
    await stack.stop('auction');
    expect(await streamMessages()).toBe(before + 1);
    expect(await rowsWhenCaughtUp(leads)).toHaveLength(5);
  });
});
