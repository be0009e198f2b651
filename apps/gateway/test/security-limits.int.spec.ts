import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { ADMIN_KEY, demoLead, startTestStack, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';

const CALLBACK_SECRET = 'callback-secret-fedcba9876543210';
const RESPONSE = { accept: { path: 'status', values: ['bid'] }, price: { path: 'price' } };

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

async function call(url: string, method: Method, body?: unknown, headers: Record<string, string> = {}) {
  const res = await request(url, {
    method,
    headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : Buffer.isBuffer(body) || typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers, body: (text ? JSON.parse(text) : null) as any };
}

const fieldsOf = (body: any): string[] => (body?.error?.fields ?? []).map((f: { field: string }) => f.field);

/** Objects nested `depth` deep, innermost empty: depth 1 is `{}`. */
const nested = (depth: number): Record<string, unknown> => (depth <= 1 ? {} : { a: nested(depth - 1) });

/**
 * Hostile configuration and input against the real stack: channel URLs that would make the
 * platform call metadata, private or its own addresses (SSRF), per-supplier rate limits, limits on
 * JSON bodies, and who may read what (suppliers, revoked and rotated keys, admin, buyer callbacks).
 */
describe('security: URLs, rate limits, input limits and access', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let buyerId = '';
  let campaign = '';

  const admin = (method: Method, path: string, body?: unknown, key = ADMIN_KEY) =>
    call(`${stack.gatewayUrl}/v1/admin${path}`, method, body, key ? { 'x-admin-key': key } : {});
  const intake = (apiKey: string, body: unknown) => call(`${stack.gatewayUrl}/v1/leads`, 'POST', body, { 'x-api-key': apiKey });
  const readLead = (leadId: string, apiKey: string) =>
    call(`${stack.gatewayUrl}/v1/leads/${leadId}`, 'GET', undefined, apiKey ? { 'x-api-key': apiKey } : {});

  async function supplier(extra: Record<string, unknown> = {}) {
    const res = await admin('POST', '/suppliers', { name: `supplier ${Math.random()}`, ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; apiKey: string; rateLimitPerSecond?: number };
  }

  const channelWith = (ping: string, post: string) => ({
    name: `channel ${Math.random()}`,
    buyerId,
    ping: { url: ping, response: RESPONSE },
    post: { url: post, response: { accept: { path: 'status', values: ['accepted'] } } },
  });

  beforeAll(async () => {
    // Posts are answered "pending"; the signed callback comes 1.5 s later.
    sim = await startBuyerSim({
      seed: 9,
      buyers: [
        {
          key: 'cb',
          style: 'bid-json',
          bid: { min: 7, max: 7 },
          pingRejectRate: 0,
          postRejectRate: 0,
          callback: { delayMs: 1500 },
          callbackSecret: CALLBACK_SECRET,
        },
      ],
    });
    stack = await startTestStack();
    buyerId = (await admin('POST', '/buyers', { name: 'cb', displayName: 'Callback Buyer' })).body.id;
    const channel = await admin('POST', '/channels', {
      name: 'cb',
      buyerId,
      ...simChannelCalls(sim.url, 'cb', 'bid-json', { asyncPost: true }),
      asyncPost: { secret: CALLBACK_SECRET, timeoutSeconds: 60 },
    });
    expect(channel.status).toBe(201);
    const tree = await admin('POST', '/trees', {
      name: 'cb',
      tiers: [{ name: 'a', logic: 'auction', channelIds: [channel.body.id] }],
    });
    campaign = 'sec-limits';
    await admin('POST', '/campaigns', {
      key: campaign,
      name: 'cb',
      vertical: 'auto_insurance',
      treeId: tree.body.id,
      dedupeWindowHours: 0,
    });
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  describe('channel URLs (SSRF)', () => {
    it('refuses metadata, link-local, unspecified and the platform’s own address at save time, naming the field', async () => {
      const gatewayPort = new URL(stack.gatewayUrl).port;
      const refused: Array<[string, string, string]> = [
        ['http://169.254.169.254/latest/meta-data/', `${sim.url}/post`, 'ping.url'],
        [`${sim.url}/ping`, 'http://metadata.google.internal/computeMetadata/v1/', 'post.url'],
        ['http://[fe80::1]/ping', `${sim.url}/post`, 'ping.url'],
        ['http://0.0.0.0:8080/ping', `${sim.url}/post`, 'ping.url'],
        [`${stack.gatewayUrl}/v1/admin/suppliers`, `${sim.url}/post`, 'ping.url'],
        [`${sim.url}/ping`, `http://localhost:${gatewayPort}/v1/leads`, 'post.url'],
      ];
      for (const [ping, post, field] of refused) {
        const res = await admin('POST', '/channels', channelWith(ping, post));
        expect(res.status).toBe(422);
        expect(fieldsOf(res.body)).toEqual([field]);
      }
      const own = await admin('POST', '/channels', channelWith(`${stack.gatewayUrl}/v1/admin/suppliers`, `${sim.url}/post`));
      expect(own.body.error.fields[0].message).toMatch(/platform's own API and admin address/);

      // Loopback buyers on other ports are allowed here (PINGTREE_ALLOW_PRIVATE_BUYER_URLS=true in tests)...
      const ok = await admin('POST', '/channels', channelWith(`${sim.url}/ping`, `${sim.url}/post`));
      expect(ok.status).toBe(201);
      // ...and an update is checked like a create.
      const { id, ...saved } = ok.body;
      const moved = await admin('PUT', `/channels/${id}`, {
        ...saved,
        post: { ...saved.post, url: `${stack.gatewayUrl}/v1/admin/channels` },
      });
      expect(moved.status).toBe(422);
      expect(fieldsOf(moved.body)).toEqual(['post.url']);
    });

    it('refuses loopback and private networks unless PINGTREE_ALLOW_PRIVATE_BUYER_URLS=true', async () => {
      const strict = await startTestStack({ services: ['gateway'], env: { PINGTREE_ALLOW_PRIVATE_BUYER_URLS: 'false' } });
      try {
        const strictAdmin = (method: Method, path: string, body?: unknown) =>
          call(`${strict.gatewayUrl}/v1/admin${path}`, method, body, { 'x-admin-key': ADMIN_KEY });
        const buyer = (await strictAdmin('POST', '/buyers', { name: 'b', displayName: 'B' })).body.id;
        const channel = (ping: string, post: string) => ({ ...channelWith(ping, post), buyerId: buyer });
        for (const [ping, post, field] of [
          [`${sim.url}/ping`, 'https://buyer.example.com/post', 'ping.url'],
          ['https://buyer.example.com/ping', 'http://10.0.0.7/post', 'post.url'],
          ['http://192.168.1.20/ping', 'https://buyer.example.com/post', 'ping.url'],
          ['http://[::1]:4100/ping', 'https://buyer.example.com/post', 'ping.url'],
          ['http://localhost:4100/ping', 'https://buyer.example.com/post', 'ping.url'],
        ]) {
          const res = await strictAdmin('POST', '/channels', channel(ping!, post!));
          expect(res.status).toBe(422);
          expect(fieldsOf(res.body)).toEqual([field]);
          expect(res.body.error.fields[0].message).toMatch(/PINGTREE_ALLOW_PRIVATE_BUYER_URLS=true/);
        }
        const pub = await strictAdmin(
          'POST',
          '/channels',
          channel('https://buyer.example.com/ping', 'https://buyer.example.com/post'),
        );
        expect(pub.status).toBe(201);
      } finally {
        await strict.close();
      }
    });
  });

  describe('per-supplier rate limits', () => {
    /** Sends `n` lead submissions at once; the body is invalid on purpose: the limit comes first. */
    async function burst(apiKey: string, n: number) {
      const started = Date.now();
      const answers = await Promise.all(Array.from({ length: n }, () => intake(apiKey, {})));
      return { answers, seconds: (Date.now() - started) / 1000 };
    }

    it('answers 429 RATE_LIMITED with Retry-After over the limit, and only for that supplier', async () => {
      const limited = await supplier({ rateLimitPerSecond: 1 });
      expect(limited.rateLimitPerSecond).toBe(1);
      const { answers, seconds } = await burst(limited.apiKey, 8);
      const over = answers.filter((a) => a.status === 429);
      const through = answers.filter((a) => a.status !== 429);
      // A bucket of 1 token refilled at 1/s lets through at most 1 + the seconds the burst took.
      expect(through.length).toBeLessThanOrEqual(1 + Math.ceil(seconds));
      expect(over.length).toBeGreaterThan(0);
      for (const a of over) {
        expect(a.body.error.code).toBe('RATE_LIMITED');
        expect(a.body.error.message).toMatch(/per gateway replica/);
        expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
      for (const a of through) expect(a.status).toBe(422); // past the limit, the lead is checked as usual

      const other = await supplier();
      expect((await burst(other.apiKey, 8)).answers.every((a) => a.status === 422)).toBe(true);

      const lifted = await admin('PATCH', `/suppliers/${limited.id}`, { rateLimitPerSecond: null });
      expect(lifted.status).toBe(200);
      expect(lifted.body.rateLimitPerSecond).toBeUndefined();
      expect((await burst(limited.apiKey, 8)).answers.every((a) => a.status === 422)).toBe(true);
    });

    it('refuses a limit out of range, naming it', async () => {
      for (const bad of [0, -1, 1.5, 1e9]) {
        const res = await admin('POST', '/suppliers', { name: 'bad limit', rateLimitPerSecond: bad });
        expect(res.status).toBe(422);
        expect(fieldsOf(res.body)).toEqual(['rateLimitPerSecond']);
      }
    });
  });

  describe('input limits', () => {
    let apiKey = '';
    beforeAll(async () => {
      apiKey = (await supplier()).apiKey;
    });

    it('refuses JSON nested deeper than 20 levels with 400 naming the limit, on intake and admin', async () => {
      const deep = { ...demoLead({ campaign }), fields: nested(20) }; // 21 levels with the body itself
      const res = await intake(apiKey, deep);
      expect(res.status).toBe(400);
      expect(res.body.error).toEqual({ code: 'INVALID_REQUEST', message: 'JSON nests deeper than the limit of 20 levels' });
      const atLimit = await intake(apiKey, { ...demoLead({ campaign }), fields: nested(19) });
      expect(atLimit.status).toBe(422); // parsed, then refused by validation as an unknown field
      const hostile = await intake(apiKey, '['.repeat(100_000) + ']'.repeat(100_000));
      expect(hostile.status).toBe(413); // 200 KB is over the body limit before anything else
      const adminDeep = await admin('POST', '/buyers', { name: 'x', displayName: 'x', extra: nested(30) });
      expect(adminDeep.status).toBe(400);
      expect(adminDeep.body.error.message).toMatch(/limit of 20 levels/);
    });

    it('refuses invalid UTF-8 and unpaired surrogates with 400', async () => {
      const bytes = Buffer.concat([Buffer.from('{"campaign":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
      for (const res of [await intake(apiKey, bytes), await admin('POST', '/buyers', bytes)]) {
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({ code: 'INVALID_REQUEST', message: 'body is not valid UTF-8' });
      }
      const surrogate = await intake(
        apiKey,
        JSON.stringify({ ...demoLead({ campaign }), source: 'x' }).replace('"x"', '"\\ud800"'),
      );
      expect(surrogate.status).toBe(400);
      expect(surrogate.body.error.message).toMatch(/unpaired UTF-16 surrogate/);
    });

    it('answers 413 for bodies over the limit', async () => {
      const big = { ...demoLead({ campaign }), source: 'x'.repeat(70 * 1024) };
      expect((await intake(apiKey, big)).status).toBe(413);
      expect((await admin('POST', '/buyers', { name: 'x'.repeat(70 * 1024), displayName: 'x' })).status).toBe(413);
    });

    it('refuses numbers out of range and oversized strings with 422 naming the field', async () => {
      const lead = demoLead({ campaign });
      const cases: Array<[unknown, string]> = [
        [
          `${JSON.stringify({ ...lead, fields: { ...lead.fields, vehicleYear: 0 } }).replace('"vehicleYear":0', '"vehicleYear":1e400')}`,
          'fields.vehicleYear',
        ],
        [{ ...lead, fields: { ...lead.fields, vehicleYear: 99_999 } }, 'fields.vehicleYear'],
        [{ ...lead, source: 'x'.repeat(1000) }, 'source'],
        [{ ...lead, contact: { ...lead.contact, firstName: 'x'.repeat(300) } }, 'contact.firstName'],
        [{ ...lead, consent: { ...lead.consent, text: 'x'.repeat(6000) } }, 'consent.text'],
      ];
      for (const [body, field] of cases) {
        const res = await intake(apiKey, body);
        expect(res.status).toBe(422);
        expect(fieldsOf(res.body)).toContain(field);
      }
      const adminCases: Array<[string, unknown, string]> = [
        ['/suppliers', { name: 's', priceFloor: 1e12 }, 'priceFloor'],
        ['/buyers', { name: 'x'.repeat(500), displayName: 'x' }, 'name'],
        ['/channels', { ...channelWith(`${sim.url}/ping`, `${sim.url}/post`), pingTimeoutMs: 1e9 }, 'pingTimeoutMs'],
      ];
      for (const [path, body, field] of adminCases) {
        const res = await admin('POST', path, body);
        expect(res.status).toBe(422);
        expect(fieldsOf(res.body)).toContain(field);
      }
    });
  });

  describe('access', () => {
    it('lets a supplier read only its own leads: another supplier gets 404, no key 401', async () => {
      const a = await supplier();
      const b = await supplier();
      const sold = await intake(a.apiKey, demoLead({ campaign }));
      expect(sold.status).toBe(200);
      const leadId = sold.body.leadId as string;
      expect((await readLead(leadId, a.apiKey)).status).toBe(200);
      const other = await readLead(leadId, b.apiKey);
      expect(other.status).toBe(404);
      expect(other.body.error.code).toBe('NOT_FOUND');
      expect((await readLead(leadId, '')).status).toBe(401);
      // Probing ids gives nothing away either: the same 404 as a lead that never existed.
      expect((await readLead('00000000-0000-4000-8000-000000000000', b.apiKey)).body).toEqual({
        error: { code: 'NOT_FOUND', message: 'lead 00000000-0000-4000-8000-000000000000 not found' },
      });
    });

    it('refuses a revoked (disabled) key and a rotated-away key with 401', async () => {
      const revoked = await supplier();
      const lead = await intake(revoked.apiKey, demoLead({ campaign }));
      expect((await admin('PATCH', `/suppliers/${revoked.id}`, { enabled: false })).status).toBe(200);
      for (const res of [
        await readLead(lead.body.leadId, revoked.apiKey),
        await intake(revoked.apiKey, demoLead({ campaign })),
      ]) {
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHORIZED');
      }

      const rotated = await supplier();
      const own = await intake(rotated.apiKey, demoLead({ campaign }));
      const fresh = await admin('POST', `/suppliers/${rotated.id}/rotate-key`);
      expect(fresh.status).toBe(200);
      expect((await readLead(own.body.leadId, rotated.apiKey)).status).toBe(401);
      expect((await intake(rotated.apiKey, demoLead({ campaign }))).status).toBe(401);
      expect((await readLead(own.body.leadId, fresh.body.apiKey)).status).toBe(200);
    });

    it('requires the admin key on admin endpoints and on other suppliers’ leads', async () => {
      const id = '00000000-0000-4000-8000-000000000000';
      for (const [method, path] of [
        ['GET', '/suppliers'],
        ['PATCH', `/suppliers/${id}`],
        ['GET', '/channels'],
        ['GET', `/channels/${id}`],
        ['POST', '/channels'],
        ['GET', '/buyers'],
        ['GET', '/trees'],
        ['GET', '/campaigns'],
        ['GET', '/suppression-lists'],
      ] as const) {
        for (const key of ['', 'not-the-admin-key-0000']) {
          const res = await admin(method, path, method === 'GET' ? undefined : {}, key);
          expect(res.status).toBe(401);
          expect(res.body.error.code).toBe('UNAUTHORIZED');
        }
      }
      const lead = await intake((await supplier()).apiKey, demoLead({ campaign }));
      const res = await call(`${stack.gatewayUrl}/v1/leads/${lead.body.leadId}`, 'GET', undefined, {
        'x-admin-key': 'wrong-admin-key-0000',
      });
      expect(res.status).toBe(401);
    });

    it('refuses a buyer callback with a bad or missing signature (401); the buyer’s signed one is recorded', async () => {
      const lead = await intake((await supplier()).apiKey, demoLead({ campaign }));
      expect(lead.body.state).toBe('awaiting_callback');
      const [attempt] = (await stack.ds.query(`SELECT id::text AS id FROM post_attempts WHERE lead_id = $1`, [
        lead.body.leadId,
      ])) as Array<{
        id: string;
      }>;
      const url = `${stack.gatewayUrl}/v1/callbacks/posts/${attempt!.id}`;
      const body = JSON.stringify({ ref: 'x', status: 'accepted' });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const forged = createHmac('sha256', 'not-the-secret-000000').update(`${timestamp}.${body}`).digest('hex');
      const unsigned: Array<Record<string, string>> = [
        { 'x-pingtree-timestamp': timestamp, 'x-pingtree-signature': forged },
        { 'x-pingtree-timestamp': timestamp },
        {},
      ];
      for (const headers of unsigned) {
        const res = await call(url, 'POST', body, headers);
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHORIZED');
      }
      // The buyer's own callback, signed with the secret stored encrypted, settles the post.
      const until = Date.now() + 8000;
      while (!sim.callbacks({ buyer: 'cb' }).some((c) => c.url === url && 'status' in c.reply)) {
        if (Date.now() > until) throw new Error('the buyer did not call back');
        await new Promise((r) => setTimeout(r, 100));
      }
      const sent = sim.callbacks({ buyer: 'cb' }).find((c) => c.url === url)!;
      expect(sent.reply).toMatchObject({ status: 200 });
    });
  });
});
