import {
  createInbox,
  NoRespondersError,
  RequestError,
  TimeoutError,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
  type Subscription,
} from '@nats-io/transport-node';

interface Pending {
  subject: string;
  resolve: (msg: Msg) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Request-reply over one reply subscription per connection (`_INBOX.<nuid>.*`), a token per request
 * and one timer per request, cleared by the reply. It is what nats-core's request mux does, minus
 * the `RequestError("cancelled")` (with its stack) that nats-core 3.4 builds for every request that
 * succeeds. The subscription is re-sent by the client after a reconnect like any other.
 */
export class ReplyInbox {
  private prefix = '';
  private subscription: Subscription | null = null;
  private readonly pending = new Map<string, Pending>();
  private nextToken = 0;

  constructor(private readonly nc: NatsConnection) {}

  /**
   * Publishes to `subject` with a reply address on our inbox and resolves with the reply. Rejects
   * with nats' NoRespondersError (nobody subscribes: the server answers an empty 503 status
   * message), TimeoutError after `timeoutMs`, or RequestError when the connection closes.
   */
  request(subject: string, payload: string | Uint8Array, headers: MsgHdrs | undefined, timeoutMs: number): Promise<Msg> {
    return new Promise<Msg>((resolve, reject) => {
      const token = (this.nextToken++).toString(36);
      try {
        const reply = this.replySubject(token);
        const timer = setTimeout(() => this.expire(token), timeoutMs);
        this.pending.set(token, { subject, resolve, reject, timer });
        this.nc.publish(subject, payload, { reply, headers });
      } catch (error) {
        this.settle(token);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  /** Requests waiting for their reply (tests: none is left behind). */
  get waiting(): number {
    return this.pending.size;
  }

  private replySubject(token: string): string {
    if (!this.subscription) this.subscribe();
    return this.prefix + token;
  }

  private subscribe(): void {
    this.prefix = `${createInbox()}.`;
    const subscription = this.nc.subscribe(`${this.prefix}*`, {
      // An error here closes the subscription; `closed` below fails what still waits on it.
      callback: (err, msg) => {
        if (!err) this.deliver(msg);
      },
    });
    this.subscription = subscription;
    void subscription.closed.then(() => {
      if (this.subscription !== subscription) return;
      this.subscription = null;
      for (const token of [...this.pending.keys()])
        this.settle(token)?.reject(new RequestError('reply subscription closed (connection closed or drained)'));
    });
  }

  private deliver(msg: Msg): void {
    const pending = this.settle(msg.subject.slice(this.prefix.length));
    if (!pending) return; // a late reply to a request that already timed out
    if (msg.data.length === 0 && msg.headers?.code === 503) pending.reject(new NoRespondersError(pending.subject));
    else pending.resolve(msg);
  }

  private expire(token: string): void {
    this.settle(token)?.reject(new TimeoutError());
  }

  /** Takes a request off the waiting list (at most once) and stops its timer. */
  private settle(token: string): Pending | undefined {
    const pending = this.pending.get(token);
    if (!pending) return undefined;
    this.pending.delete(token);
    clearTimeout(pending.timer);
    return pending;
  }
}

const inboxes = new WeakMap<NatsConnection, ReplyInbox>();

/** The connection's one reply inbox, shared by everything that sends requests on it. */
export function replyInboxOf(nc: NatsConnection): ReplyInbox {
  let inbox = inboxes.get(nc);
  if (!inbox) {
    inbox = new ReplyInbox(nc);
    inboxes.set(nc, inbox);
  }
  return inbox;
}
