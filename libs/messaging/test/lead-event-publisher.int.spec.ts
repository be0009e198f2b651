import { randomUUID } from 'node:crypto';
import { DiscardPolicy, jetstreamManager, PubHeaders, StorageType, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  LEAD_EVENT_SUBJECT_PREFIX,
  leadEventsStreamName,
  leadEventSubject,
  withNamespace,
  type LeadEvent,
} from '@pingtree/contracts';
import { connectNats, LeadEventPublisher } from '../src';
import { replyInboxOf } from '../src/reply-inbox';

const NATS_URL = process.env['PINGTREE_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

function pinged(leadId: string): LeadEvent {
  return {
    id: `${leadId}:pinged:0:${randomUUID()}`,
    leadId,
    type: 'pinged',
    service: 'ping',
    at: Date.now(),
    tierIndex: 0,
    channelId: randomUUID(),
    data: {},
  };
}

/**
 * The publisher against a real JetStream stream that holds one message and refuses more (discard
 * new): the stream answers a publish with a PubAck error, which must count as a failed attempt.
 */
describe('lead event publisher over real JetStream', () => {
  const namespace = `pub${randomUUID().slice(0, 8)}`;
  const stream = leadEventsStreamName(namespace);
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: LeadEventPublisher;

  const storedMessages = async () => (await jsm.streams.info(stream)).state.messages;

  beforeAll(async () => {
    nc = await connectNats(NATS_URL, 'lead-event-publisher-test');
    jsm = await jetstreamManager(nc);
    await jsm.streams.add({
      name: stream,
      subjects: [withNamespace(namespace, `${LEAD_EVENT_SUBJECT_PREFIX}>`)],
      storage: StorageType.Memory,
      max_msgs: 1,
      discard: DiscardPolicy.New,
      duplicate_window: 60_000_000_000,
    });
    publisher = new LeadEventPublisher(nc, { service: 'ping', natsUrl: NATS_URL, namespace });
    await publisher.onModuleInit(); // the stream exists: left as it is
  });

  afterAll(async () => {
    await jsm?.streams.delete(stream).catch(() => undefined);
    await nc?.close();
  });

  it('stores an event under its id as message id, and a repeat as a duplicate', async () => {
    const event = pinged(randomUUID());
    publisher.emit(event);
    await publisher.flush();
    expect(await storedMessages()).toBe(1);
    const stored = await jsm.streams.getMessage(stream, { last_by_subj: withNamespace(namespace, leadEventSubject('pinged')) });
    expect(stored?.header.get(PubHeaders.MsgIdHdr)).toBe(event.id);
    expect(stored?.json()).toEqual(event);

    // The stream is full, yet the same id is acknowledged as a duplicate rather than refused.
    publisher.emit(event);
    await publisher.flush();
    expect(await storedMessages()).toBe(1);
    expect(replyInboxOf(nc).waiting).toBe(0);
  });

  it('retries a publish the stream answered with an error, under the same id, until it is stored', async () => {
    const event = pinged(randomUUID());
    const subject = withNamespace(namespace, leadEventSubject('pinged'));
    // Every attempt also reaches core subscribers; count them, and make room after the second refusal.
    const attempts: string[] = [];
    const purges: Array<Promise<unknown>> = [];
    const sub = nc.subscribe(subject, {
      callback: (_err, msg) => {
        if ((msg.json<LeadEvent>().id ?? '') !== event.id) return;
        attempts.push(msg.headers?.get(PubHeaders.MsgIdHdr) ?? '');
        if (attempts.length === 2) purges.push(jsm.streams.purge(stream));
      },
    });
    await nc.flush();
    try {
      publisher.emit(event);
      await publisher.flush();
      // The stored attempt's PubAck can overtake its copy to this subscriber on a busy machine.
      for (const until = Date.now() + 5000; attempts.length < 3 && Date.now() < until;)
        await new Promise((r) => setTimeout(r, 20));
    } finally {
      sub.unsubscribe();
    }
    await Promise.all(purges);
    expect(attempts).toEqual([event.id, event.id, event.id]);
    expect(await storedMessages()).toBe(1);
    const stored = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    expect(stored?.json<LeadEvent>().id).toBe(event.id);
    expect(replyInboxOf(nc).waiting).toBe(0);
  });

  it('gives up after its attempts when the stream keeps refusing, and flush still returns', async () => {
    const event = pinged(randomUUID()); // the stream is still full from the previous test
    const started = Date.now();
    publisher.emit(event);
    await publisher.flush();
    expect(Date.now() - started).toBeGreaterThanOrEqual(2900); // backoff 200 + 400 + 800 + 1600 ms
    expect(await storedMessages()).toBe(1);
    expect(replyInboxOf(nc).waiting).toBe(0);
  });
});
