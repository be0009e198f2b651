import { z } from 'zod';
import { newLeadId } from './lead-id';

describe('newLeadId', () => {
  it('is a version 7 UUID with the RFC variant, which the lead schema accepts', () => {
    const id = newLeadId();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(z.uuid().safeParse(id).success).toBe(true);
  });

  it('carries its time in the first 48 bits, so later ids sort after earlier ones', () => {
    const at = Date.UTC(2026, 10, 22, 7, 30);
    const id = newLeadId(at);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(at);
    const ids = [at, at + 1, at + 1000, at + 86_400_000].map((ms) => newLeadId(ms));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs between ids of the same millisecond', () => {
    const at = Date.now();
    expect(new Set(Array.from({ length: 1000 }, () => newLeadId(at))).size).toBe(1000);
  });
});
