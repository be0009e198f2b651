import { CircuitBreaker } from './circuit-breaker';

const settings = { failureThreshold: 3, cooldownMs: 1000 };

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures, not before', () => {
    const b = new CircuitBreaker();
    expect(b.record(true, 'timeout', settings, 0)).toBeNull();
    expect(b.record(true, 'timeout', settings, 0)).toBeNull();
    expect(b.record(true, 'timeout', settings, 0)).toEqual({ state: 'open', retryAt: 1000, reason: 'timeout' });
    expect(b.allow(500)).toBe(false);
  });

  it('a success in between resets the count', () => {
    const b = new CircuitBreaker();
    b.record(true, 'x', settings, 0);
    b.record(true, 'x', settings, 0);
    b.record(false, '', settings, 0);
    expect(b.record(true, 'x', settings, 0)).toBeNull();
    expect(b.allow(0)).toBe(true);
  });

  it('lets exactly one probe through after the cool-down and closes on its success', () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 3; i++) b.record(true, 'x', settings, 0);
    expect(b.allow(1000)).toBe(true);
    expect(b.allow(1001)).toBe(false); // the probe is still out
    expect(b.record(false, '', settings, 1002)).toEqual({ state: 'closed' });
    expect(b.allow(1003)).toBe(true);
  });

  it('opens again at once when the probe fails', () => {
    const b = new CircuitBreaker();
    for (let i = 0; i < 3; i++) b.record(true, 'x', settings, 0);
    expect(b.allow(1000)).toBe(true);
    expect(b.record(true, 'still down', settings, 1000)).toEqual({ state: 'open', retryAt: 2000, reason: 'still down' });
  });

  it('applies transitions decided by another replica', () => {
    const b = new CircuitBreaker();
    b.apply({ state: 'open', retryAt: 5000, reason: 'elsewhere' });
    expect(b.allow(100)).toBe(false);
    b.apply({ state: 'closed' });
    expect(b.allow(100)).toBe(true);
  });
});
