import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LeadBodies } from './lead-body';
import { LoadGenerator, type LoadPlan } from './load';

/**
 * A stand-in gateway: the first leads get each kind of answer the generator must tell apart, the
 * rest are sold. Reads every lead whole, as the gateway does.
 */
function fakeGateway(): {
  server: Server;
  leads: Array<{ apiKey: unknown; type: unknown; body: string }>;
  timers: NodeJS.Timeout[];
} {
  const leads: Array<{ apiKey: unknown; type: unknown; body: string }> = [];
  const timers: NodeJS.Timeout[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = leads.push({
        apiKey: req.headers['x-api-key'],
        type: req.headers['content-type'],
        body: Buffer.concat(chunks).toString(),
      });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.url !== '/v1/leads' || req.method !== 'POST') return json(404, { error: { code: 'NOT_FOUND' } });
      if (n === 2) return json(429, { error: { code: 'OVERLOADED', message: 'busy' } });
      if (n === 3) return res.end('not json');
      // Well past the plan's 150 ms timeout: undici's header timeout runs on a coarse (~1 s) timer.
      if (n === 4) return void timers.push(setTimeout(() => json(200, { state: 'sold' }), 3000));
      if (n === 5) return req.socket.destroy();
      json(200, { state: 'sold', reason: 'best_bid', ms: 12.5, buyerMs: 8 });
    });
  });
  return { server, leads, timers };
}

describe('bench load generator', () => {
  it('posts leads and records each answer, error code, timeout and dropped connection as the client saw it', async () => {
    const { server, leads, timers } = fakeGateway();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const gateway = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const plan: LoadPlan = {
      mode: 'max',
      rate: 0,
      concurrency: 1,
      warmupMs: 0,
      durationMs: 1500,
      timeoutMs: 150,
      maxInFlight: 1,
      connections: undefined,
    };
    const generator = new LoadGenerator([gateway], 'supplier-key', new LeadBodies('bench-c', 'abcd'), plan, 50);
    try {
      await generator.run({ onWindowStart: () => undefined, onWindowEnd: () => undefined, onSecond: () => undefined });
    } finally {
      await generator.close();
      timers.forEach(clearTimeout);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    const records = generator.records;
    expect(records.length).toBe(leads.length);
    expect(records.length).toBeGreaterThan(6);
    expect(leads[0]).toMatchObject({ apiKey: 'supplier-key', type: 'application/json' });
    expect(JSON.parse(leads[0]!.body).campaign).toBe('bench-c');
    const [sold, overloaded, garbage, late, dropped, ...rest] = records;
    expect(sold).toMatchObject({ result: 'answered', status: 200, state: 'sold', reason: 'best_bid', ms: 12.5, buyerMs: 8 });
    expect(overloaded).toMatchObject({ result: 'answered', status: 429, state: 'OVERLOADED', error: 'busy' });
    expect(garbage).toMatchObject({ result: 'answered', status: 200, state: 'unparseable answer', error: 'not json' });
    expect(late).toMatchObject({ result: 'timeout', state: 'timeout', status: 0 });
    expect(late!.error).toMatch(/timeout/i);
    expect(late!.endAt - late!.sentAt).toBeLessThan(2500);
    expect(dropped).toMatchObject({ result: 'network', state: 'network', status: 0 });
    expect(dropped!.error).toEqual(expect.any(String));
    for (const r of rest) expect(r).toMatchObject({ result: 'answered', status: 200, state: 'sold' });
    for (const r of records) expect(r.endAt).toBeGreaterThanOrEqual(r.sentAt);
  });
});
