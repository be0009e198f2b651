/**
 * One token bucket per key (a supplier): `ratePerSecond` tokens a second, holding at most one
 * second's worth, so a supplier may burst up to its rate and then sustain it. In memory, so each
 * gateway replica enforces the limit on its own share of the traffic.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  /** Takes a token: 0 when there was one, otherwise the milliseconds until the next one. */
  take(key: string, ratePerSecond: number, nowMs: number): number {
    const capacity = Math.max(1, ratePerSecond);
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: nowMs };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((nowMs - bucket.at) / 1000) * ratePerSecond);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - bucket.tokens) / ratePerSecond) * 1000);
  }
}
