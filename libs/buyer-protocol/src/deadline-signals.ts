/** A call waiting on a deadline; told once, when the deadline passes before it settled. */
export interface DeadlineCall {
  expire(): void;
}

/** A shared deadline: when it passes, the calls still running on it expire. */
export interface Deadline {
  at: number;
  timer: NodeJS.Timeout;
  expired: boolean;
  calls: Set<DeadlineCall>;
}

/**
 * Deadlines shared by the buyer calls that end at the same moment: a tier's fan-out pings every
 * buyer with the same deadline, so it gets one timer, cleared as soon as its last call settles. A
 * call with a shorter budget (its channel's pingTimeoutMs) gets its own. The calls are told
 * directly rather than through an AbortSignal: no listener per call on an EventTarget and no
 * DOMException built when it fires. `AbortSignal.timeout()` per call left a timer behind every
 * answered call that later fired for nothing.
 */
export class DeadlineSignals {
  private readonly open = new Map<number, Deadline>();

  /** A deadline `budgetMs` from now (to the millisecond); release the call when it settles. */
  acquire(budgetMs: number, call: DeadlineCall): Deadline {
    const at = Date.now() + budgetMs;
    let deadline = this.open.get(at);
    if (!deadline) {
      const timer = setTimeout(() => this.fire(deadline!), budgetMs);
      timer.unref();
      deadline = { at, timer, expired: false, calls: new Set() };
      this.open.set(at, deadline);
    }
    deadline.calls.add(call);
    return deadline;
  }

  release(deadline: Deadline, call: DeadlineCall): void {
    if (!deadline.calls.delete(call) || deadline.calls.size > 0) return;
    clearTimeout(deadline.timer);
    if (this.open.get(deadline.at) === deadline) this.open.delete(deadline.at);
  }

  /** Deadlines with calls still running (tests). */
  get size(): number {
    return this.open.size;
  }

  private fire(deadline: Deadline): void {
    if (this.open.get(deadline.at) === deadline) this.open.delete(deadline.at);
    deadline.expired = true;
    // A copy: an expiring call releases itself, which removes it from the set.
    for (const call of [...deadline.calls]) call.expire();
  }
}
