import { seededRandom } from './seeded-random';

function take(random: () => number, n: number): number[] {
  return Array.from({ length: n }, () => random());
}

describe('seededRandom', () => {
  it.each(['lead-1', '00000000-0000-4000-8000-00000000000a', ''])('gives the same sequence for the same seed (%p)', (seed) => {
    expect(take(seededRandom(seed), 100)).toEqual(take(seededRandom(seed), 100));
  });

  it('gives different sequences for different seeds', () => {
    expect(take(seededRandom('lead-1'), 10)).not.toEqual(take(seededRandom('lead-2'), 10));
  });

  it('does not repeat one value', () => {
    expect(new Set(take(seededRandom('lead-1'), 1000)).size).toBeGreaterThan(990);
  });

  it('stays in [0, 1) and spreads evenly', () => {
    const values = take(seededRandom('spread'), 10_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    const lowest = values.filter((v) => v < 0.1).length / values.length;
    expect(lowest).toBeGreaterThan(0.07);
    expect(lowest).toBeLessThan(0.13);
  });
});
