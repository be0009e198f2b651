export type Redemption = 'open' | 'unknown' | 'already posted';

/**
 * The ids a buyer handed out in ping answers, so a post quoting an id it never issued (or one
 * already posted) is refused as a real buyer would. Bounded so a long benchmark can't grow it
 * without end: the oldest ids are forgotten first.
 */
export class TransactionBook {
  private readonly open = new Set<string>();
  private readonly posted = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  issue(id: string): void {
    this.open.add(id);
    trim(this.open, this.capacity);
  }

  /** Marks the id as posted; a second post quoting it is a duplicate delivery. */
  redeem(id: string): Redemption {
    if (this.open.delete(id)) {
      this.posted.add(id);
      trim(this.posted, this.capacity);
      return 'open';
    }
    return this.posted.has(id) ? 'already posted' : 'unknown';
  }
}

function trim(ids: Set<string>, capacity: number): void {
  // Sets iterate in insertion order, so the first entries are the oldest.
  for (const id of ids) {
    if (ids.size <= capacity) return;
    ids.delete(id);
  }
}
