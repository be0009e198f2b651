import { DeadlineSignals } from './deadline-signals';

describe('deadline signals', () => {
  it('shares one signal between calls ending at the same moment and clears it with the last one', () => {
    const deadlines = new DeadlineSignals();
    const a = deadlines.acquire(60_000);
    const b = deadlines.acquire(60_000);
    const shorter = deadlines.acquire(50);
    expect(b).toBe(a);
    expect(shorter).not.toBe(a);
    expect(deadlines.size).toBe(2);
    deadlines.release(a);
    expect(deadlines.size).toBe(2);
    deadlines.release(b);
    deadlines.release(shorter);
    expect(deadlines.size).toBe(0);
    expect(a.controller.signal.aborted).toBe(false);
  });

  it('aborts the calls still running when the deadline passes, and starts a new one after', async () => {
    const deadlines = new DeadlineSignals();
    const d = deadlines.acquire(20);
    await new Promise((r) => setTimeout(r, 40));
    expect(d.controller.signal.aborted).toBe(true);
    expect(deadlines.size).toBe(0);
    deadlines.release(d);
    const next = deadlines.acquire(20);
    expect(next).not.toBe(d);
    expect(next.controller.signal.aborted).toBe(false);
    deadlines.release(next);
  });
});
