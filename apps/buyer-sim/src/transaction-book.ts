export type Redemption = 'open' | 'unknown' | 'already posted' | 'expired';

/**
 * The ids a buyer handed out in ping answers, so a post quoting an id it never issued, one already
 * posted, or one whose bid expired is refused as a real buyer would. Bounded so a long benchmark
 * can't grow it without end: the oldest ids are forgotten first.
 */
export class TransactionBook {
  /** id → epoch ms after which a post is refused (Infinity: never). */
  private readonly open = new Map<string, number>();
  private readonly closed = new Map<string, 'already posted' | 'expired'>();

  constructor(private readonly capacity = 100_000) {}

  issue(id: string, expiresAt = Infinity): void {
    this.open.set(id, expiresAt);
    trim(this.open, this.capacity);
  }

  /** Marks the id as posted (or expired); a second post quoting it is refused. */
  redeem(id: string, now = Date.now()): Redemption {
    const expiresAt = this.open.get(id);
    if (expiresAt === undefined) return this.closed.get(id) ?? 'unknown';
    this.open.delete(id);
    const outcome = now > expiresAt ? 'expired' : 'already posted';
    this.closed.set(id, outcome);
    trim(this.closed, this.capacity);
    return outcome === 'expired' ? 'expired' : 'open';
  }
}

function trim(ids: Map<string, unknown>, capacity: number): void {
  // Checked first: an iterator per issued id is measurable at thousands of pings a second.
  if (ids.size <= capacity) return;
  // Maps iterate in insertion order, so the first entries are the oldest.
  for (const id of ids.keys()) {
    if (ids.size <= capacity) return;
    ids.delete(id);
  }
}
