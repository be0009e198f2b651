import { lookup as dnsLookup } from 'node:dns';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { BuyerHttpClient } from './buyer-http.client';

describe('buyer HTTP client: budgets of a fan-out', () => {
  let server: Server;
  let base = '';
  let hits = 0;
  const client = new BuyerHttpClient({ allowPrivateAddresses: true });

  beforeAll(async () => {
    // /answer/<ms> answers after <ms>; /big answers 100 kB; /echo answers what it was sent.
    server = createServer((req, res) => {
      hits++;
      if (req.url === '/big') return res.end('x'.repeat(100 * 1024));
      if (req.url === '/trickle') return trickle(res);
      if (req.url === '/nul') return res.end('{"a":"x\0y"}');
      if (req.url === '/cut') {
        // Promises 100 bytes, sends 10 and drops the connection.
        res.writeHead(200, { 'content-length': '100' });
        res.write('{"partial"');
        return setTimeout(() => res.socket?.destroy(), 20);
      }
      if (req.url?.startsWith('/echo')) {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          res.writeHead(201, { 'content-type': 'application/json' });
          const body = Buffer.concat(chunks).toString('utf8');
          res.end(
            JSON.stringify({
              method: req.method,
              url: req.url,
              type: req.headers['content-type'],
              key: req.headers['x-key'],
              body,
            }),
          );
        });
        return;
      }
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

  it('sends method, headers and body as built and reads any status', async () => {
    const res = await client.send(
      {
        url: `${base}/echo?a=1`,
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-key': 'k1' },
        body: '{"zip":"94105"}',
      },
      1000,
    );
    expect(res).toMatchObject({ kind: 'answered', status: 201, error: null });
    expect(JSON.parse(res.body)).toEqual({
      method: 'POST',
      url: '/echo?a=1',
      type: 'application/json',
      key: 'k1',
      body: '{"zip":"94105"}',
    });
    expect(res.ms).toBeGreaterThan(0);
  });

  it('cuts an answer streamed in many chunks at 64 kB and keeps serving calls', async () => {
    const big = await get('/trickle', 2000);
    expect(big.kind).toBe('answered');
    expect(big.body).toBe('y'.repeat(64 * 1024));
    expect((await get('/answer/1', 1000)).body).toBe('{"waited":1}');
    expect(client.openDeadlines).toBe(0);
  });

  it('keeps answers storable: a NUL becomes U+FFFD', async () => {
    expect((await get('/nul', 1000)).body).toBe('{"a":"x\uFFFDy"}');
  });

  it('reads a connection dropped mid-answer as a network error, not as an answer', async () => {
    const res = await get('/cut', 1000);
    expect(res.kind).toBe('network_error');
    expect(res.status).toBeNull();
    expect(res.error).toEqual(expect.any(String));
    expect(client.openDeadlines).toBe(0);
  });

  it('reads a refused connection and a malformed URL as network errors with their message', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await client.send({ url: `http://127.0.0.1:${port}/`, method: 'GET', headers: {}, body: undefined }, 1000);
    expect(refused).toMatchObject({ kind: 'network_error', status: null, body: '' });
    expect(refused.error).toMatch(/ECONNREFUSED/);
    const malformed = await client.send({ url: 'not a url', method: 'GET', headers: {}, body: undefined }, 1000);
    expect(malformed.kind).toBe('network_error');
    expect(malformed.error).toMatch(/Invalid URL/);
    expect(client.openDeadlines).toBe(0);
  });

  it('times out at the deadline while the connection is still being made, and never sends the call', async () => {
    // DNS answers after 300 ms: the 50 ms budget passes before there is a socket.
    const slowDns: LookupFunction = (_hostname, options, callback) => {
      setTimeout(() => dnsLookup('127.0.0.1', options, callback), 300);
    };
    const slow = new BuyerHttpClient({ allowPrivateAddresses: true, lookup: slowDns });
    const before = hits;
    const port = (server.address() as AddressInfo).port;
    const res = await slow.send({ url: `http://slow.test:${port}/answer/1`, method: 'GET', headers: {}, body: undefined }, 50);
    expect(res.kind).toBe('timeout');
    expect(res.error).toBe('no answer within 50 ms');
    expect(res.ms).toBeLessThan(150);
    await slow.close();
    expect(hits).toBe(before);
  });
});

/** 100 kB in 1 kB writes, so the cap falls in the middle of the stream. */
function trickle(res: ServerResponse): void {
  const chunk = 'y'.repeat(1024);
  let sent = 0;
  const more = (): void => {
    while (sent < 100 && !res.destroyed) {
      sent++;
      if (!res.write(chunk)) return void res.once('drain', more);
    }
    if (!res.destroyed) res.end();
  };
  more();
}
