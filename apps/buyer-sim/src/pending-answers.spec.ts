import { PendingAnswers } from './pending-answers';

describe('pending answers', () => {
  it('answers each after its delay, in any order, and forgets each once answered', async () => {
    const pending = new PendingAnswers();
    const answered: number[] = [];
    const delays = [30, 5, 20, 5, 40, 10, 1];
    delays.forEach((ms, i) => pending.after(ms, () => answered.push(i)));
    expect(pending.size).toBe(delays.length);
    await new Promise((r) => setTimeout(r, 80));
    expect([...answered].sort()).toEqual(delays.map((_, i) => i));
    expect(answered[answered.length - 1]).toBe(4); // the 40 ms one came last
    expect(pending.size).toBe(0);
  });

  it('clear() drops the ones still waiting and keeps the rest working', async () => {
    const pending = new PendingAnswers();
    const answered: string[] = [];
    pending.after(1, () => answered.push('early'));
    pending.after(60_000, () => answered.push('late'));
    await new Promise((r) => setTimeout(r, 20));
    expect(pending.size).toBe(1);
    pending.clear();
    expect(pending.size).toBe(0);
    pending.after(1, () => answered.push('after clear'));
    await new Promise((r) => setTimeout(r, 20));
    expect(answered).toEqual(['early', 'after clear']);
  });
});
