import fc from 'fast-check';
import { ConfigStore } from '@pingtree/db';
import {
  ADMIN_KEY,
  credential,
  demoLead,
  extraHeaders,
  fuzzBody,
  FuzzClient,
  fuzzContentType,
  fuzzHttp,
  fuzzSeed,
  pathId,
  postLead,
  queryString,
  startTestStack,
  tmaxHeader,
  unreadyServices,
  type FuzzBody,
  type FuzzMethod,
  type FuzzRequest,
  type TestStack,
} from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';

/** Requests per run; with the admin suite's, over 10,000 random and malformed requests. */
const REQUESTS = 6_000;

/** Generous bounds on a hang, not a speed test: other suites may share the two cores. */
const SETUP_TIMEOUT_MS = 60_000;
const FUZZ_TIMEOUT_MS = 300_000;

/** A valid lead with fixed values (but for supplierLeadId, below), so every run generates the same mutations of it. */
const LEAD = demoLead({
  supplierLeadId: 'fuzz-template',
  contact: {
    firstName: 'Ada',
    lastName: 'Lovelace',
    email: 'ada.fuzz@example.com',
    phone: '(415) 555-0134',
    address: '12 Analytical Engine Way',
    dateOfBirth: '1985-04-12',
  },
  consent: {
    given: true,
    text: 'I agree to be contacted.',
    timestamp: '2024-05-01T12:00:00Z',
    pageUrl: 'https://quotes.example.com/auto',
  },
});

/** The template's supplierLeadId swapped for `id` in the bytes as generated (a mutated one stays mutated). */
function withSupplierLeadId(body: FuzzBody | undefined, id: string): FuzzBody | undefined {
  if (body === undefined) return body;
  const text = Buffer.isBuffer(body) ? body.toString('latin1') : body;
  const swapped = text.replace('"fuzz-template"', `"${id}"`);
  return Buffer.isBuffer(body) ? Buffer.from(swapped, 'latin1') : swapped;
}

/** Mostly the right method, sometimes one the route doesn't have. */
const method = (right: FuzzMethod): fc.Arbitrary<FuzzMethod> =>
  fc.oneof(
    { weight: 9, arbitrary: fc.constant(right) },
    { weight: 1, arbitrary: fc.constantFrom('GET', 'PUT', 'PATCH', 'DELETE') },
  );

/**
 * Partner-facing endpoints against a real stack: random and malformed bodies, headers, ids and query
 * strings. Every answer is 2xx or a 4xx `{error:{code,message}}`, never a 5xx, and every service is
 * still ready afterwards.
 */
describe('fuzzing the intake endpoints', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let client: FuzzClient;
  const apiKeys: string[] = [];
  const leadIds: string[] = [];
  const offerIds: string[] = [];
  let channelId = '';

  beforeAll(async () => {
    sim = await startBuyerSim({
      seed: 3,
      buyers: ['one', 'two'].map((key) => ({
        key,
        style: 'bid-json' as const,
        bid: { min: 9, max: 9 },
        pingRejectRate: 0,
        postRejectRate: 0,
      })),
    });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    const channelIds: string[] = [];
    for (const key of ['one', 'two']) {
      const buyerId = await store.createBuyer({ name: key, displayName: key });
      // These buyers decide at once: no `pending` post answers, so no asyncPost to configure.
      const { ping, post } = simChannelCalls(sim.url, key, 'bid-json');
      const { pending: _pending, ...response } = post.response;
      channelIds.push(await store.createChannel({ name: key, buyerId, ping, post: { ...post, response } }));
    }
    channelId = channelIds[0]!;
    // A choice tier: valid leads stop at `offered` (no post), and the choice endpoint has real offers to pick.
    const treeId = await store.createTree({
      name: 'choice',
      tiers: [{ name: 'choice', logic: 'choice', channelIds, maxSales: 2 }],
    });
    await store.createCampaign({ key: 'demo-auto', name: 'fuzz', vertical: 'auto_insurance', treeId, dedupeWindowHours: 0 });
    apiKeys.push((await store.createSupplier('fuzz supplier')).apiKey, (await store.createSupplier('other supplier')).apiKey);
    await stack.reloadConfig();
    // Real leads to read, pick and return: offered ones of both suppliers, and one sold by a pick.
    for (const key of [apiKeys[0]!, apiKeys[0]!, apiKeys[0]!, apiKeys[1]!]) {
      const { body } = await postLead(stack, key, demoLead());
      leadIds.push(body.leadId);
      offerIds.push(...body.offers.map((o: { offerId: string }) => o.offerId));
    }
    const sold = await fetch(`${stack.gatewayUrl}/v1/leads/${leadIds[0]}/choice`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKeys[0]! },
      body: JSON.stringify({ offerIds: [offerIds[0]] }),
    });
    expect(((await sold.json()) as { state: string }).state).toBe('sold');
    client = new FuzzClient(stack.gatewayUrl);
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await client?.close();
    await stack?.close();
    await sim?.close();
  });

  function requests(): fc.Arbitrary<FuzzRequest> {
    const id = pathId(leadIds);
    const supplierKey = credential(apiKeys);
    const adminKey = credential([ADMIN_KEY]);
    const body = (valid: unknown) => fc.record({ contentType: fuzzContentType(), body: fuzzBody(valid) });
    // Each lead its own supplierLeadId: a repeated one is answered from the first (idempotency) and would hide the rest.
    const leadBody = fc.tuple(body(LEAD), fc.uuid()).map(([b, id]) => ({ ...b, body: withSupplierLeadId(b.body, `fuzz-${id}`) }));
    const postLeadReq = fc
      .record({ m: method('POST'), q: queryString(), key: supplierKey, tmax: tmaxHeader(), extra: extraHeaders(), b: leadBody })
      .map(({ m, q, key, tmax, extra, b }) => ({
        method: m,
        path: `/v1/leads${q}`,
        headers: { ...extra, 'content-type': b.contentType, 'x-api-key': key, 'x-pingtree-tmax-ms': tmax },
        body: b.body,
      }));
    const getLeadReq = fc
      .record({ id, q: queryString(), key: fc.option(supplierKey), admin: fc.option(adminKey), extra: extraHeaders() })
      .map(({ id, q, key, admin, extra }) => ({
        method: 'GET' as const,
        path: `/v1/leads/${id}${q}`,
        headers: { ...extra, 'x-api-key': key ?? undefined, 'x-admin-key': admin ?? undefined },
      }));
    const choiceReq = fc
      .record({ m: method('POST'), id, key: supplierKey, extra: extraHeaders(), b: body({ offerIds: offerIds.slice(1, 3) }) })
      .map(({ m, id, key, extra, b }) => ({
        method: m,
        path: `/v1/leads/${id}/choice`,
        headers: { ...extra, 'content-type': b.contentType, 'x-api-key': key },
        body: b.body,
      }));
    const returnReq = fc
      .record({
        m: method('POST'),
        id,
        key: adminKey,
        extra: extraHeaders(),
        b: body({ channelId, reason: 'phone disconnected' }),
      })
      .map(({ m, id, key, extra, b }) => ({
        method: m,
        path: `/v1/leads/${id}/returns`,
        headers: { ...extra, 'content-type': b.contentType, 'x-admin-key': key },
        body: b.body,
      }));
    return fc.oneof(
      { weight: 5, arbitrary: postLeadReq },
      { weight: 2, arbitrary: getLeadReq },
      { weight: 2, arbitrary: choiceReq },
      { weight: 1, arbitrary: returnReq },
    );
  }

  it(
    `answers ${REQUESTS} random and malformed requests with 2xx or a JSON 4xx, never a 5xx`,
    async () => {
      const started = Date.now();
      await fuzzHttp(client, requests(), { seed: fuzzSeed(20_250_801), total: REQUESTS });
      process.stdout.write(`intake fuzz: ${client.sent} requests in ${Date.now() - started} ms (${client.summary()})\n`);
      expect(client.sent).toBeGreaterThanOrEqual(REQUESTS);
    },
    FUZZ_TIMEOUT_MS,
  );

  // Found by the fuzzing: PostgreSQL can't store U+0000, so a NUL in supplierLeadId or city was a 500.
  it('names every field holding a NUL with 422', async () => {
    const lead = demoLead({ supplierLeadId: 'sup\u0000', geo: { state: 'CA', zip: '94105', city: 'San\u0000Francisco' } });
    const { status, body } = await postLead(stack, apiKeys[0]!, lead);
    expect(status).toBe(422);
    expect(body.error.fields.map((f: { field: string }) => f.field)).toEqual(['supplierLeadId', 'geo.city']);
  });

  it('leaves every service ready', async () => {
    expect(await unreadyServices(stack)).toEqual([]);
  });
});
