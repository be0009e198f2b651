import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';

/**
 * Background work a service repeats on a timer (sweepers, refreshed caches). The timer never keeps
 * the process alive and stops with the app; `run` must handle its own errors.
 */
export abstract class PeriodicTask implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | null = null;

  protected constructor(private readonly everyMs: number) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.run(), this.everyMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  protected abstract run(): Promise<unknown>;
}
