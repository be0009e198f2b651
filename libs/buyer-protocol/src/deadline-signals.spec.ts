import { type DeadlineCall, DeadlineSignals } from './deadline-signals';

/** A call that counts how often its deadline told it to expire. */
function call(): DeadlineCall & { expired: number } {
  const c = {
    expired: 0,
    expire: () => {
      c.expired++;
    },
  };
  return c;
}

describe('deadline signals', () => {
  it('shares one deadline between calls ending at the same moment and clears it with the last one', () => {
    const deadlines = new DeadlineSignals();
    const [x, y, z] = [call(), call(), call()];
    const a = deadlines.acquire(60_000, x);
    const b = deadlines.acquire(60_000, y);
    const shorter = deadlines.acquire(50, z);
    expect(b).toBe(a);
    expect(shorter).not.toBe(a);
    expect(deadlines.size).toBe(2);
    deadlines.release(a, x);
    // Releasing the same call twice must not take the other call's place.
    deadlines.release(a, x);
    expect(deadlines.size).toBe(2);
    deadlines.release(b, y);
    deadlines.release(shorter, z);
    expect(deadlines.size).toBe(0);
    expect(a.expired).toBe(false);
    expect(x.expired + y.expired + z.expired).toBe(0);
  });

  it('expires the calls still running when the deadline passes, once each, and starts a new one after', async () => {
    const deadlines = new DeadlineSignals();
    const [running, settled] = [call(), call()];
    const d = deadlines.acquire(20, running);
    // The same deadline unless the clock ticked between the two calls (a busy machine): release what it got.
    deadlines.release(deadlines.acquire(20, settled), settled);
    await new Promise((r) => setTimeout(r, 40));
    expect(d.expired).toBe(true);
    expect(running.expired).toBe(1);
    expect(settled.expired).toBe(0);
    expect(deadlines.size).toBe(0);
    deadlines.release(d, running);
    const next = deadlines.acquire(20, running);
    expect(next).not.toBe(d);
    expect(next.expired).toBe(false);
    deadlines.release(next, running);
  });
});
