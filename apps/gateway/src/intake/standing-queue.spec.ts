import { StandingQueue } from './standing-queue';

describe('StandingQueue', () => {
  it('reports the fastest lead of the last full second', () => {
    const q = new StandingQueue();
    q.record(40, 0);
    q.record(900, 100);
    q.record(600, 500);
    expect(q.standingMs(999)).toBe(0); // the first window is not over yet
    expect(q.standingMs(1000)).toBe(40); // one fast lead: no queue stands
  });

  it('sees a standing queue when every lead of a second was slow, and forgets it when leads stop', () => {
    const q = new StandingQueue();
    q.standingMs(0);
    for (let t = 0; t < 1000; t += 50) q.record(400 + t / 10, t);
    expect(q.standingMs(1000)).toBe(400);
    // Shedding: no lead finishes in the next second, so the next window reopens admission.
    expect(q.standingMs(2000)).toBe(0);
  });

  it('does not carry an old window over a quiet spell', () => {
    const q = new StandingQueue();
    q.standingMs(0);
    q.record(500, 10);
    expect(q.standingMs(5000)).toBe(0);
  });

  it('while a queue stands, admits 90% of the leads that finished in the last second, then sheds', () => {
    const q = new StandingQueue();
    q.standingMs(0);
    for (let i = 0; i < 100; i++) q.record(400, i * 10);
    expect(q.standingMs(1000)).toBe(400);
    let admitted = 0;
    while (q.admitWhileQueued(1500)) admitted++;
    expect(admitted).toBe(90);
    // The next second's share follows what finished in this one.
    for (let i = 0; i < 10; i++) q.record(300, 1600 + i);
    expect(q.standingMs(2000)).toBe(300);
    admitted = 0;
    while (q.admitWhileQueued(2000)) admitted++;
    expect(admitted).toBe(9);
  });
});
