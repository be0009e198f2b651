const WINDOW_MS = 1000;
/** While a queue stands, admit a little less than the platform finished, so the queue drains. */
const DRAIN_SHARE = 0.9;

/**
 * Whether a queue stands in front of the leads (the idea of CoDel): the least time any lead spent
 * in the platform during the last full second. One fast lead means no queue stands; when even the
 * fastest was slow, every lead is waiting somewhere. While it stands, leads are admitted at 90% of
 * the rate they finished in the last second, so throughput stays near capacity while the queue
 * drains; a second in which no lead finished reopens admission: it never locks itself shut.
 */
export class StandingQueue {
  private windowStart = 0;
  private windowMin = Infinity;
  private windowFinished = 0;
  private windowAdmitted = 0;
  private lastWindowMin = Infinity;
  private lastWindowFinished = 0;

  /** A lead finished after `platformMs` in the platform (buyers' time excluded). */
  record(platformMs: number, now: number): void {
    this.roll(now);
    this.windowMin = Math.min(this.windowMin, platformMs);
    this.windowFinished++;
  }

  /** The last full second's minimum, 0 when it saw no lead (or is older than a second). */
  standingMs(now: number): number {
    this.roll(now);
    return Number.isFinite(this.lastWindowMin) ? this.lastWindowMin : 0;
  }

  /** While a queue stands: whether one more lead fits this second's share (and counts it if so). */
  admitWhileQueued(now: number): boolean {
    this.roll(now);
    if (this.windowAdmitted >= Math.floor(this.lastWindowFinished * DRAIN_SHARE)) return false;
    this.windowAdmitted++;
    return true;
  }

  private roll(now: number): void {
    const elapsed = now - this.windowStart;
    if (elapsed < WINDOW_MS) return;
    // A window that ended long ago says nothing about now.
    const recent = elapsed < 2 * WINDOW_MS;
    this.lastWindowMin = recent ? this.windowMin : Infinity;
    this.lastWindowFinished = recent ? this.windowFinished : 0;
    this.windowMin = Infinity;
    this.windowFinished = 0;
    this.windowAdmitted = 0;
    this.windowStart = now;
  }
}
