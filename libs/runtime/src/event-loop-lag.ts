import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const WINDOW_MS = 1000;
const NS_PER_MS = 1e6;

/**
 * How late this process's event loop runs: the worst delay seen in the current and the previous
 * second. A late loop means work queued in front of every lead here; callers use it to shed load
 * (the gateway) and to tell their own lateness from a slow buyer (ping).
 */
export class EventLoopLag {
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });
  private previousMaxNs = 0;
  private timer: NodeJS.Timeout | null = null;

  start(): this {
    if (this.timer) return this;
    this.histogram.enable();
    this.timer = setInterval(() => {
      this.previousMaxNs = this.histogram.max;
      this.histogram.reset();
    }, WINDOW_MS);
    this.timer.unref();
    return this;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.histogram.disable();
  }

  /** Worst event-loop delay over the last one to two seconds, in ms. */
  recentMaxMs(): number {
    return Math.max(this.previousMaxNs, this.histogram.max) / NS_PER_MS;
  }
}
