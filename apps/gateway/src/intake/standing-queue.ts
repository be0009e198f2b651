const WINDOW_MS = 1000;

/**
 * Whether a queue stands in front of the leads (the idea of CoDel): the least time any lead spent
 * in the platform during the last full second. One fast lead means no queue stands; when even the
 * fastest was slow, every lead is waiting somewhere. Shedding empties the next window, which
 * reopens admission: it never locks itself shut.
 */
export class StandingQueue {
  private windowStart = 0;
  private windowMin = Infinity;
  private lastWindowMin = Infinity;

  record(platformMs: number, now: number): void {
    this.roll(now);
    this.windowMin = Math.min(this.windowMin, platformMs);
  }

  /** The last full second's minimum, 0 when it saw no lead (or is older than a second). */
  standingMs(now: number): number {
    this.roll(now);
    return Number.isFinite(this.lastWindowMin) ? this.lastWindowMin : 0;
  }

  private roll(now: number): void {
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    // A window that ended long ago says nothing about now.
    this.lastWindowMin = elapsed < 2 * WINDOW_MS ? this.windowMin : Infinity;
    this.windowMin = Infinity;
    this.windowStart = now;
  }
}
