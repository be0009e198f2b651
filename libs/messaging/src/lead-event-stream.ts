import { jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { LEAD_EVENT_SUBJECT_PREFIX, leadEventsStreamName, withNamespace } from '@pingtree/contracts';

const NANOS_PER_MS = 1_000_000;

/** Creates the lead events stream if it is missing. Every publisher and the audit consumer call it. */
export async function ensureLeadEventStream(nc: NatsConnection, namespace: string): Promise<string> {
  const name = leadEventsStreamName(namespace);
  const jsm = await jetstreamManager(nc);
  try {
    await jsm.streams.info(name);
  } catch {
    try {
      await jsm.streams.add({
        name,
        subjects: [withNamespace(namespace, `${LEAD_EVENT_SUBJECT_PREFIX}>`)],
        storage: StorageType.File,
        retention: RetentionPolicy.Limits,
        // Retries with the same message id inside this window are dropped by the server.
        duplicate_window: 2 * 60_000 * NANOS_PER_MS,
        max_age: 7 * 24 * 3_600_000 * NANOS_PER_MS,
      });
    } catch (error) {
      // Another replica may have created it between our info and add.
      await jsm.streams.info(name).catch(() => {
        throw error;
      });
    }
  }
  return name;
}
