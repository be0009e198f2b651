/** Seeded randomness, so a test that sets a seed sees the same bids and rejects on every run. */
export type Rng = () => number;

/** mulberry32: tiny, fast and good enough for simulated buyers; returns [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a, to give each buyer its own stream derived from the sim's seed. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

export function uniform(rng: Rng, min: number, max: number): number {
  return min + rng() * (max - min);
}

/** A price in [min, max] rounded to cents. */
export function uniformCents(rng: Rng, min: number, max: number): number {
  const cents = Math.round(uniform(rng, min, max) * 100) / 100;
  return Math.min(max, Math.max(min, cents));
}

/** Always draws, so the stream stays aligned whatever the rate. */
export function chance(rng: Rng, probability: number): boolean {
  return rng() < probability;
}

export function pick<T>(rng: Rng, items: readonly [T, ...T[]]): T {
  return items[Math.floor(rng() * items.length)] ?? items[0];
}

/** Eight hex digits, for ids that look opaque like a real buyer's. */
export function hex8(rng: Rng): string {
  return Math.floor(rng() * 4294967296)
    .toString(16)
    .padStart(8, '0');
}
