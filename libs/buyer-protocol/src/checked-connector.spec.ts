import { lookup as dnsLookup } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { BuyerHttpClient } from './buyer-http.client';

/** DNS for tests: `name` resolves to `address`, everything else as usual. */
function fakeDns(name: string, address: string): LookupFunction {
  return (hostname, options, callback) => {
    if (hostname !== name) return dnsLookup(hostname, options, callback);
    const family = address.includes(':') ? 6 : 4;
    if (options.all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

describe('buyer HTTP client: forbidden addresses at connect time (SSRF, DNS rebinding)', () => {
  let server: Server;
  let port = 0;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits++;
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const get = (client: BuyerHttpClient, url: string) => client.send({ url, method: 'GET', headers: {}, body: undefined }, 2000);

  it('refuses loopback by address and by name unless private buyer URLs are allowed', async () => {
    const strict = new BuyerHttpClient({ allowPrivateAddresses: false, lookup: fakeDns('buyer.test', '127.0.0.1') });
    const before = hits;
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`, `http://buyer.test:${port}/`]) {
      const result = await get(strict, url);
      expect(result.kind).toBe('network_error');
      expect(result.error).toMatch(/refused to connect .*loopback/);
    }
    expect(hits).toBe(before); // nothing reached the server
    await strict.close();

    const demo = new BuyerHttpClient({ allowPrivateAddresses: true, lookup: fakeDns('buyer.test', '127.0.0.1') });
    expect((await get(demo, `http://buyer.test:${port}/`)).status).toBe(200);
    expect((await get(demo, `http://127.0.0.1:${port}/`)).status).toBe(200);
    await demo.close();
  });

  it('refuses a name that resolves to the metadata address even when private networks are allowed', async () => {
    const client = new BuyerHttpClient({ allowPrivateAddresses: true, lookup: fakeDns('rebind.test', '169.254.169.254') });
    const result = await get(client, 'http://rebind.test/latest/meta-data');
    expect(result.kind).toBe('network_error');
    expect(result.error).toMatch(/rebind\.test \(resolves to 169\.254\.169\.254\).*link-local/);
    for (const url of ['http://169.254.169.254/', 'http://metadata.google.internal/', 'http://[::ffff:a9fe:a9fe]/']) {
      expect((await get(client, url)).error).toMatch(/refused to connect/);
    }
    await client.close();
  });
});
