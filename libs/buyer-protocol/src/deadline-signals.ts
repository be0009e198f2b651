import { setMaxListeners } from 'node:events';

/** A shared deadline: its signal aborts the calls still running when it passes. */
export interface Deadline {
  at: number;
  controller: AbortController;
  timer: NodeJS.Timeout;
  calls: number;
}

/**
 * Abort signals shared by the buyer calls that end at the same moment: a tier's fan-out pings every
 * buyer with the same deadline, so it gets one AbortController and one timer, cleared as soon as
 * its last call settles. A call with a shorter budget (its channel's pingTimeoutMs) gets its own.
 * `AbortSignal.timeout()` per call left a timer behind every answered call that later fired and
 * built a DOMException for nothing.
 */
export class DeadlineSignals {
  private readonly open = new Map<number, Deadline>();

  /** A signal that aborts `budgetMs` from now (to the millisecond); release it when the call settles. */
  acquire(budgetMs: number): Deadline {
    const at = Date.now() + budgetMs;
    let deadline = this.open.get(at);
    if (!deadline) {
      const controller = new AbortController();
      // Every call on this deadline listens to the signal; a wide fan-out is not a listener leak.
      setMaxListeners(0, controller.signal);
      const timer = setTimeout(() => this.fire(deadline!), budgetMs);
      timer.unref();
      deadline = { at, controller, timer, calls: 0 };
      this.open.set(at, deadline);
    }
    deadline.calls++;
    return deadline;
  }

  release(deadline: Deadline): void {
    if (--deadline.calls > 0) return;
    clearTimeout(deadline.timer);
    if (this.open.get(deadline.at) === deadline) this.open.delete(deadline.at);
  }

  /** Deadlines with calls still running (tests). */
  get size(): number {
    return this.open.size;
  }

  private fire(deadline: Deadline): void {
    if (this.open.get(deadline.at) === deadline) this.open.delete(deadline.at);
    deadline.controller.abort();
  }
}
