import fc from 'fast-check';
import type { Type } from '@nestjs/common';
import { ConfigStore } from '@pingtree/db';
import {
  ADMIN_KEY,
  controllerRoutes,
  credential,
  demoLead,
  extraHeaders,
  fuzzBody,
  FuzzClient,
  fuzzContentType,
  fuzzHttp,
  fuzzSeed,
  hostileString,
  nearValidQuery,
  pathId,
  postLead,
  queryString,
  startTestStack,
  unreadyServices,
  type FuzzMethod,
  type FuzzRequest,
  type Route,
  type TestStack,
} from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { GatewayModule } from '../src/gateway.module';

/** Requests per run; with the intake suite's, over 10,000 random and malformed requests. */
const REQUESTS = 5_000;

/** Generous bounds on a hang, not a speed test: other suites may share the two cores. */
const SETUP_TIMEOUT_MS = 60_000;
const FUZZ_TIMEOUT_MS = 300_000;

/** Nothing listens on the discard port: channels saved by the fuzzing are never really called. */
const UNREACHABLE = 'http://127.0.0.1:9';

/** A valid body for each route that takes one; routes not listed get near-valid variants of a bare `{ name }`. */
function bodyTemplates(ids: { buyerId: string; channelId: string; treeId: string; campaignId: string }): Record<string, unknown> {
  const { ping, post } = simChannelCalls(UNREACHABLE, 'fuzz', 'bid-json');
  const { pending: _pending, ...postResponse } = post.response;
  const supplier = { name: 'fuzz supplier', priceFloor: 1.5, enabled: true };
  const buyer = { name: 'fuzz-buyer', displayName: 'Fuzz Buyer', enabled: true };
  const channel = {
    name: 'fuzz channel',
    buyerId: ids.buyerId,
    ping,
    post: { ...post, response: postResponse },
    pingTimeoutMs: 500,
    priority: 2,
    bidAdjustmentPercent: -10,
    filters: [{ op: 'in', field: 'state', values: ['CA', 'NY'] }],
    caps: [{ period: 'day', count: 100, spend: 2500 }],
    circuit: { failureThreshold: 5, cooldownMs: 30_000 },
  };
  const tree = {
    name: 'fuzz tree',
    tiers: [{ name: 'auction', logic: 'auction', channelIds: [ids.channelId], pricing: 'second_price', priceFloor: 2 }],
  };
  const campaign = {
    key: 'fuzz-campaign',
    name: 'Fuzz',
    vertical: 'auto_insurance',
    treeId: ids.treeId,
    tmaxMs: 2000,
    margin: { type: 'percent', value: 10 },
    filters: [{ op: 'age', min: 18, max: 80 }],
  };
  return {
    'POST /v1/admin/suppliers': supplier,
    'PATCH /v1/admin/suppliers/:id': supplier,
    'POST /v1/admin/buyers': buyer,
    'PUT /v1/admin/buyers/:id': buyer,
    'POST /v1/admin/channels': channel,
    'PUT /v1/admin/channels/:id': channel,
    'POST /v1/admin/trees': tree,
    'PUT /v1/admin/trees/:id': tree,
    'POST /v1/admin/campaigns': campaign,
    'PUT /v1/admin/campaigns/:id': campaign,
    'POST /v1/admin/suppression-lists': { name: 'fuzz dnc', kind: 'do_not_call', scope: 'campaign', campaignId: ids.campaignId },
    'POST /v1/admin/suppression-lists/:id/entries': { entries: [{ phone: '(415) 555-0134', email: 'ada@example.com' }] },
    'POST /v1/leads/:id/returns': { channelId: ids.channelId, reason: 'phone disconnected' },
  };
}

/** Query strings a route reads, valid but for one value; other routes get random ones. */
const QUERIES: Record<string, fc.Arbitrary<Record<string, string>>> = {
  'GET /v1/admin/reports': nearValidQuery(
    { groupBy: 'channel', from: '2024-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', bucket: 'day' },
    {
      groupBy: ['supplier', 'campaign', 'buyer', 'lead', 'channel,buyer'],
      from: ['0000-01-01T00:00:00Z', '1970-01-01T00:00:00+14:00', '2024-02-30T00:00:00Z', '2024-01-01', '2030-01-01T00:00:00Z'],
      to: ['9999-12-31T23:59:59Z', '0000-12-31T23:59:59-01:00', '2024-01-01T00:00:00Z', 'now'],
      bucket: ['hour', 'week', ''],
    },
  ),
  'GET /v1/admin/leads': nearValidQuery(
    { state: 'sold', email: 'ada@example.com', from: '2024-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', limit: '20' },
    {
      state: ['unsold', 'offered', 'nope'],
      email: ['ADA@EXAMPLE.COM', '@', ''],
      from: ['0000-01-01T00:00:00Z', '2031-01-01T00:00:00Z'],
      to: ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59Z'],
      limit: ['1', '200', '201', '0', '-1', '1e3', '1.5', 'NaN'],
      supplierId: ['00000000-0000-0000-0000-000000000000', 'not-a-uuid'],
      phone: ['(415) 555-0134', '+1'],
      cursor: [
        'e30',
        Buffer.from('{"at":"0000-01-01T00:00:00Z","id":"00000000-0000-0000-0000-000000000000"}').toString('base64url'),
        Buffer.from('{"at":"2024-01-01T00:00:00Z","id":"00000000-0000-0000-0000-000000000000"}').toString('base64url'),
      ],
    },
  ),
};

/** CSV uploads for suppression entries: right, ragged, quoted, binary, huge. */
const csvBody: fc.Arbitrary<string> = fc.oneof(
  fc
    .array(fc.tuple(hostileString(), hostileString()), { maxLength: 20 })
    .map((rows) => `phone,email\n${rows.map(([p, e]) => `${p},${e}`).join('\n')}`),
  fc.constantFrom(
    '',
    'phone',
    'name\nAda',
    'phone,email\n"unterminated',
    '\uFEFFPHONE\r\n4155550134\r\n',
    `phone\n${'4155550134\n'.repeat(3000)}`,
  ),
);

/**
 * Every admin endpoint (listed from the gateway's controllers) against a real stack: random and
 * malformed bodies, headers, ids and query strings, with the right admin key mostly and wrong ones
 * too. Every answer is 2xx or a 4xx `{error:{code,message}}`, never a 5xx; every service stays ready.
 */
describe('fuzzing the admin endpoints', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let client: FuzzClient;
  let routes: Route[] = [];
  const realIds: string[] = [];
  let templates: Record<string, unknown> = {};

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 4,
      buyers: [{ key: 'one', style: 'bid-json', bid: { min: 9, max: 9 }, pingRejectRate: 0, postRejectRate: 0 }],
    });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    const supplier = await store.createSupplier('seed supplier');
    const buyerId = await store.createBuyer({ name: 'one', displayName: 'One' });
    const { ping, post } = simChannelCalls(sim.url, 'one', 'bid-json');
    const { pending: _pending, ...response } = post.response;
    const channelId = await store.createChannel({ name: 'one', buyerId, ping, post: { ...post, response } });
    const treeId = await store.createTree({
      name: 'seed tree',
      tiers: [{ name: 'auction', logic: 'auction', channelIds: [channelId] }],
    });
    const campaignId = await store.createCampaign({
      key: 'demo-auto',
      name: 'seed',
      vertical: 'auto_insurance',
      treeId,
      dedupeWindowHours: 0,
    });
    await stack.reloadConfig();
    // A sold lead, so returns reach the sale lookup; and a suppression list for its entries.
    const sold = await postLead(stack, supplier.apiKey, demoLead());
    expect(sold.body.state).toBe('sold');
    const list = await fetch(`${stack.gatewayUrl}/v1/admin/suppression-lists`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-admin-key': ADMIN_KEY },
      body: JSON.stringify({ name: 'seed dnc', scope: 'global' }),
    });
    realIds.push(
      supplier.id,
      buyerId,
      channelId,
      treeId,
      campaignId,
      sold.body.leadId,
      ((await list.json()) as { id: string }).id,
    );
    templates = bodyTemplates({ buyerId, channelId, treeId, campaignId });
    const controllers = GatewayModule.forRoot(stack.env).controllers as Array<Type<unknown>>;
    routes = controllerRoutes(controllers).filter((r) => r.path.startsWith('/v1/admin') || r.path.endsWith('/returns'));
    client = new FuzzClient(stack.gatewayUrl);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await client?.close();
    await stack?.close();
    await sim?.close();
  });

  it('finds every admin endpoint in the controllers', () => {
    const listed = routes.map((r) => `${r.method} ${r.path}`);
    expect(listed).toEqual(
      expect.arrayContaining(['GET /v1/admin/reports', 'POST /v1/leads/:id/returns', 'PUT /v1/admin/trees/:id']),
    );
    // Every template names a real route: a renamed route would otherwise silently lose its near-valid bodies.
    expect(listed).toEqual(expect.arrayContaining(Object.keys(templates)));
  });

  /** Requests for one route: its path with ids filled in, a query string, headers and (for writes) a body. */
  function routeRequests(route: Route): fc.Arbitrary<FuzzRequest> {
    const key = `${route.method} ${route.path}`;
    const segments = route.path
      .split('/')
      .map((s) =>
        s === ':id'
          ? pathId(realIds)
          : s === ':version'
            ? fc.constantFrom('1', '2', '0', '-1', '1.5', 'x', '1e3', '99999999999999999999')
            : fc.constant(s),
      );
    const method = fc.oneof(
      { weight: 12, arbitrary: fc.constant(route.method as FuzzMethod) },
      { weight: 1, arbitrary: fc.constantFrom<FuzzMethod>('GET', 'POST', 'PUT', 'PATCH', 'DELETE') },
    );
    const writes = route.method === 'POST' || route.method === 'PUT' || route.method === 'PATCH';
    const json = fc.record({ contentType: fuzzContentType(), body: fuzzBody(templates[key] ?? { name: 'fuzz' }) });
    const body = key.endsWith('/entries')
      ? fc.oneof(json, fc.record({ contentType: fc.constantFrom('text/csv', 'text/csv; charset=latin1'), body: csvBody }))
      : json;
    return fc
      .record({
        m: method,
        path: fc.tuple(...segments).map((parts) => parts.join('/')),
        q: queryString(QUERIES[key]),
        admin: credential([ADMIN_KEY]),
        extra: extraHeaders(),
        b: writes ? body : fc.option(body, { freq: 5 }),
      })
      .map(({ m, path, q, admin, extra, b }) => ({
        method: m,
        path: `${path}${q}`,
        headers: { ...extra, 'content-type': b?.contentType, 'x-admin-key': admin },
        body: b?.body,
      }));
  }

  it(
    `answers ${REQUESTS} random and malformed admin requests with 2xx or a JSON 4xx, never a 5xx`,
    async () => {
      const started = Date.now();
      await fuzzHttp(client, fc.oneof(...routes.map(routeRequests)), { seed: fuzzSeed(20_250_804), total: REQUESTS });
      process.stdout.write(
        `admin fuzz: ${client.sent} requests over ${routes.length} routes in ${Date.now() - started} ms (${client.summary()})\n`,
      );
      expect(client.sent).toBeGreaterThanOrEqual(REQUESTS);
    },
    FUZZ_TIMEOUT_MS,
  );

  it('leaves every service ready', async () => {
    expect(await unreadyServices(stack)).toEqual([]);
  });
});
