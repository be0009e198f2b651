import { TokenBuckets } from './token-buckets';

describe('per-supplier token buckets', () => {
  it('allows a burst of one second, then the rate, per supplier', () => {
    const buckets = new TokenBuckets();
    const t0 = 1_000_000;
    for (let i = 0; i < 5; i++) expect(buckets.take('a', 5, t0)).toBe(0);
    expect(buckets.take('a', 5, t0)).toBe(200); // the next token comes in 1/5 s
    expect(buckets.take('b', 5, t0)).toBe(0); // another supplier has its own bucket
    expect(buckets.take('a', 5, t0 + 200)).toBe(0);
    expect(buckets.take('a', 5, t0 + 200)).toBeGreaterThan(0);
    expect(buckets.take('a', 5, t0 + 60_000)).toBe(0); // refills, but never beyond one second's worth
    for (let i = 0; i < 4; i++) expect(buckets.take('a', 5, t0 + 60_000)).toBe(0);
    expect(buckets.take('a', 5, t0 + 60_000)).toBeGreaterThan(0);
  });
});
