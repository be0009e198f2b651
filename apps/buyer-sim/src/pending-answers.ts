interface PendingAnswer {
  /** Where it sits in the list, kept up to date as others leave. */
  index: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Answers waiting out their latency, so close() can drop them and no timer outlives the sim. An
 * array with swap-remove rather than a Set of timers: with a Set, each answer's request and
 * response outlived young-generation GCs (measured: ~6x the bytes surviving them and ~3x the
 * scavenge time at thousands of answers a second); with the array they die young.
 */
export class PendingAnswers {
  private readonly entries: PendingAnswer[] = [];

  /** Runs `answer` after `delayMs` unless clear() comes first. */
  after(delayMs: number, answer: () => void): void {
    const entry: PendingAnswer = { index: this.entries.length, timer: undefined };
    entry.timer = setTimeout(() => {
      this.remove(entry);
      answer();
    }, delayMs);
    this.entries.push(entry);
  }

  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    for (const entry of this.entries) clearTimeout(entry.timer);
    this.entries.length = 0;
  }

  private remove(entry: PendingAnswer): void {
    const last = this.entries.pop()!;
    if (last === entry) return;
    this.entries[entry.index] = last;
    last.index = entry.index;
  }
}
