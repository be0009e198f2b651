const TICK_MS = 20;
const WINDOW_MS = 1000;

/**
 * How late this process's event loop runs: the worst delay seen in the current and the previous
 * second, measured by a timer of our own (how late each tick fires). A late loop means work queued
 * in front of every lead here; callers use it to shed load (the gateway) and to tell their own
 * lateness from a slow buyer (ping). Our own timer rather than perf_hooks' histogram: resetting
 * that histogram at a window's end could drop the very delay that just happened.
 */
export class EventLoopLag {
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;
  private windowStart = 0;
  private windowMax = 0;
  private previousMax = 0;

  start(): this {
    if (this.timer) return this;
    this.lastTick = this.windowStart = performance.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Worst event-loop delay over the last one to two seconds, in ms, including a tick overdue right now. */
  recentMaxMs(): number {
    const overdue = this.timer ? Math.max(0, performance.now() - this.lastTick - TICK_MS) : 0;
    return Math.max(this.previousMax, this.windowMax, overdue);
  }

  private tick(): void {
    const now = performance.now();
    const late = Math.max(0, now - this.lastTick - TICK_MS);
    this.lastTick = now;
    if (now - this.windowStart >= WINDOW_MS) {
      // A window that ended long ago (a long block) still counts: it is the delay just seen.
      this.previousMax = this.windowMax;
      this.windowMax = 0;
      this.windowStart = now;
    }
    this.windowMax = Math.max(this.windowMax, late);
  }
}
