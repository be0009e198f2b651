import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BuyerHttpClient } from './buyer-http.client';

describe('buyer HTTP client: budgets of a fan-out', () => {
  let server: Server;
  let base = '';
  const client = new BuyerHttpClient({ allowPrivateAddresses: true });

  beforeAll(async () => {
    // /answer/<ms> answers after <ms>; /big answers 100 kB.
    server = createServer((req, res) => {
      if (req.url === '/big') return res.end('x'.repeat(100 * 1024));
      const ms = Number(req.url?.split('/')[2] ?? 0);
      setTimeout(() => res.end(`{"waited":${ms}}`), ms);
    });
    server.keepAliveTimeout = 10_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (path: string, budgetMs: number) =>
    client.send({ url: `${base}${path}`, method: 'GET', headers: {}, body: undefined }, budgetMs);

  it('answers a wide fan-out on one deadline and leaves no timer behind once it settles', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, () => get('/answer/5', 1000)));
    expect(results.map((r) => r.kind)).toEqual(Array(25).fill('answered'));
    expect(results[0]!.body).toBe('{"waited":5}');
    expect(client.openDeadlines).toBe(0);
  });

  it('times out a slow buyer at the shared deadline while the others answer', async () => {
    const started = Date.now();
    const [slow, fast] = await Promise.all([get('/answer/1000', 100), get('/answer/5', 100)]);
    expect(slow!.kind).toBe('timeout');
    expect(slow!.error).toBe('no answer within 100 ms');
    expect(slow!.ms).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(600);
    expect(fast!.kind).toBe('answered');
    expect(client.openDeadlines).toBe(0);
  });

  it('enforces a shorter budget of one call in a fan-out exactly, not the fan-out deadline', async () => {
    const [short, long] = await Promise.all([get('/answer/400', 50), get('/answer/150', 1000)]);
    expect(short!.kind).toBe('timeout');
    expect(short!.ms).toBeLessThan(140);
    expect(long!.kind).toBe('answered');
    expect(long!.ms).toBeGreaterThanOrEqual(145);
  });

  it('gives a call started later with the same budget its own deadline', async () => {
    const first = get('/answer/1000', 200);
    await new Promise((r) => setTimeout(r, 120));
    // Its 200 ms run from now; the first call's deadline passes 120 ms earlier.
    const second = await get('/answer/150', 200);
    expect((await first).kind).toBe('timeout');
    expect(second.kind).toBe('answered');
    expect(client.openDeadlines).toBe(0);
  });

  it('cuts an answer larger than 64 kB', async () => {
    const big = await get('/big', 1000);
    expect(big.kind).toBe('answered');
    expect(big.body.length).toBe(64 * 1024);
    expect(client.openDeadlines).toBe(0);
  });
});
