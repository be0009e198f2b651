import { request } from 'undici';
import { ADMIN_KEY, demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';

/** Nothing listens on the discard port: pings and posts fail fast with a connection error. */
const UNREACHABLE = 'http://127.0.0.1:9';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The admin API against the real stack (real NATS and PostgreSQL, every service): configuration
 * created over HTTP must reach every service, bad input must be refused with the field named.
 */
describe('admin API', () => {
  let stack: TestStack;
  let seq = 0;
  const unique = (prefix: string) => `${prefix}-${++seq}-${Date.now() % 100_000}`;

  beforeAll(async () => {
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function admin(
    method: Method,
    path: string,
    body?: unknown,
    headers: Record<string, string> = { 'x-admin-key': ADMIN_KEY },
  ) {
    const res = await request(`${stack.gatewayUrl}/v1/admin${path}`, {
      method,
      headers: { ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: (text ? JSON.parse(text) : null) as any };
  }

  const fieldsOf = (body: any): string[] => (body.error.fields ?? []).map((f: { field: string }) => f.field);

  function channelBody(buyerId: string, overrides: Record<string, unknown> = {}) {
    return {
      name: unique('loopback channel'),
      buyerId,
      ping: {
        url: `${UNREACHABLE}/ping`,
        response: { accept: { path: 'status', values: ['bid'] }, price: { path: 'price' } },
      },
      post: { url: `${UNREACHABLE}/post`, response: { accept: { path: 'status', values: ['accepted'] } } },
      pingTimeoutMs: 300,
      postTimeoutMs: 300,
      ...overrides,
    };
  }

  async function createBuyer() {
    const res = await admin('POST', '/buyers', { name: unique('buyer'), displayName: 'Loopback Buyer' });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function createChannel(buyerId: string, overrides: Record<string, unknown> = {}) {
    const res = await admin('POST', '/channels', channelBody(buyerId, overrides));
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function createTree(channelIds: string[]) {
    const res = await admin('POST', '/trees', { name: unique('tree'), tiers: [{ name: 'only', logic: 'auction', channelIds }] });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function createCampaign(treeId: string, key = unique('campaign')) {
    const res = await admin('POST', '/campaigns', {
      key,
      name: 'Admin API campaign',
      vertical: 'auto_insurance',
      treeId,
      tmaxMs: 2000,
    });
    expect(res.status).toBe(201);
    return { id: res.body.id as string, key };
  }

  async function createSupplier() {
    const res = await admin('POST', '/suppliers', { name: unique('supplier') });
    expect(res.status).toBe(201);
    return res.body as { id: string; name: string; apiKey: string };
  }

  it('requires the admin key on every resource', async () => {
    for (const [method, path] of [
      ['GET', '/suppliers'],
      ['POST', '/buyers'],
      ['GET', '/channels'],
      ['PUT', '/trees/00000000-0000-4000-8000-000000000000'],
      ['DELETE', '/campaigns/00000000-0000-4000-8000-000000000000'],
      ['POST', '/suppliers/00000000-0000-4000-8000-000000000000/rotate-key'],
    ] as const) {
      const missing = await admin(method, path, undefined, {});
      expect(missing.status).toBe(401);
      expect(missing.body.error.code).toBe('UNAUTHORIZED');
      const wrong = await admin(method, path, undefined, { 'x-admin-key': `${ADMIN_KEY}x` });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('UNAUTHORIZED');
    }
    const sneaky = await admin('POST', '/buyers', { name: 'nope', displayName: 'nope' }, { 'x-admin-key': 'wrong' });
    expect(sneaky.status).toBe(401);
    expect((await admin('GET', '/buyers')).body.items.map((b: { name: string }) => b.name)).not.toContain('nope');
  });

  it('creates supplier, buyer, channel, tree and campaign over HTTP, and every service uses them at once', async () => {
    const supplier = await createSupplier();
    expect(supplier).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      priceFloor: 0,
      enabled: true,
      apiKey: expect.any(String),
    });
    expect(supplier.apiKey.length).toBeGreaterThanOrEqual(32);
    const shown = await admin('GET', `/suppliers/${supplier.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toEqual({ id: supplier.id, name: supplier.name, priceFloor: 0, enabled: true });
    const listed = await admin('GET', '/suppliers');
    expect(listed.body.items).toContainEqual(shown.body);
    expect(JSON.stringify(listed.body)).not.toMatch(/apiKey|hash/i);

    const buyer = await admin('POST', '/buyers', { name: unique('acme'), displayName: 'Acme Insurance' });
    expect(buyer.status).toBe(201);
    expect(buyer.body).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      displayName: 'Acme Insurance',
      enabled: true,
    });

    const channel = await admin('POST', '/channels', channelBody(buyer.body.id));
    expect(channel.status).toBe(201);
    expect(channel.body).toMatchObject({
      id: expect.any(String),
      buyerId: buyer.body.id,
      enabled: true,
      priority: 0,
      filters: [],
    });
    expect(channel.body.ping).toMatchObject({ url: `${UNREACHABLE}/ping`, method: 'POST', format: 'json' });

    const tree = await admin('POST', '/trees', {
      name: 'loopback tree',
      tiers: [{ name: 'waterfall', logic: 'waterfall', channelIds: [channel.body.id] }],
    });
    expect(tree.status).toBe(201);
    expect(tree.body.tiers[0]).toMatchObject({ channelIds: [channel.body.id], maxSales: 1, pingMode: 'parallel' });

    const key = unique('admin-auto');
    const campaign = await admin('POST', '/campaigns', {
      key,
      name: 'Admin auto',
      vertical: 'auto_insurance',
      treeId: tree.body.id,
      tmaxMs: 2000,
    });
    expect(campaign.status).toBe(201);
    expect(campaign.body).toMatchObject({
      id: expect.any(String),
      key,
      treeId: tree.body.id,
      enabled: true,
      dedupeWindowHours: 24,
    });

    for (const [path, body] of [
      [`/buyers/${buyer.body.id}`, buyer.body],
      [`/channels/${channel.body.id}`, channel.body],
      [`/trees/${tree.body.id}`, tree.body],
      [`/campaigns/${campaign.body.id}`, campaign.body],
    ] as const) {
      const got = await admin('GET', path);
      expect(got.status).toBe(200);
      expect(got.body).toEqual(body);
    }

    // No reloadConfig(): the admin API's announcement alone must reach the gateway, filter and ping services.
    const { status, body: decision } = await postLead(stack, supplier.apiKey, demoLead({ campaign: key }));
    expect(status).toBe(200);
    expect(decision.state).toBe('unsold');
    const trail = await waitForFinishedTrail(stack, decision.leadId);
    expect(trail.filter((e) => e.type === 'excluded')).toEqual([]);
    expect(trail.find((e) => e.type === 'pinged')).toMatchObject({ channelId: channel.body.id, service: 'ping' });
  });

  it('refuses bad channels with the failing fields named', async () => {
    const buyerId = await createBuyer();
    const badUrl = await admin(
      'POST',
      '/channels',
      channelBody(buyerId, { ping: { ...channelBody(buyerId).ping, url: 'ftp://x' } }),
    );
    expect(badUrl.status).toBe(422);
    expect(badUrl.body.error.code).toBe('VALIDATION_FAILED');
    expect(fieldsOf(badUrl.body)).toEqual(['ping.url']);

    const postOnly = await admin('POST', '/channels', channelBody(buyerId, { ping: null }));
    expect(postOnly.status).toBe(422);
    expect(fieldsOf(postOnly.body)).toEqual(['fixedPrice']);

    const unknownBuyer = await admin('POST', '/channels', channelBody('00000000-0000-4000-8000-000000000000'));
    expect(unknownBuyer.status).toBe(422);
    expect(fieldsOf(unknownBuyer.body)).toEqual(['buyerId']);

    const several = await admin('POST', '/channels', { ...channelBody(buyerId), name: '', pingTimeoutMs: 1, extra: true });
    expect(several.status).toBe(422);
    expect(fieldsOf(several.body)).toEqual(expect.arrayContaining(['name', 'pingTimeoutMs', '(body)']));

    const notObject = await admin('POST', '/channels', [channelBody(buyerId)]);
    expect(notObject.status).toBe(400);
    expect(notObject.body.error.code).toBe('INVALID_REQUEST');
    const notJson = await admin('POST', '/channels', '{"name": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe('INVALID_REQUEST');
    const noBody = await admin('POST', '/channels');
    expect(noBody.status).toBe(400);
    for (const [path, body, field] of [
      ['/channels', channelBody(buyerId, { name: 'nul\u0000byte' }), 'name'],
      ['/buyers', { name: 'nul\u0000byte', displayName: 'x' }, 'name'],
    ] as const) {
      const nul = await admin('POST', path, body);
      expect({ path, status: nul.status, fields: fieldsOf(nul.body) }).toEqual({ path, status: 422, fields: [field] });
    }

    const postOnlyOk = await admin('POST', '/channels', channelBody(buyerId, { ping: null, fixedPrice: 3 }));
    expect(postOnlyOk.status).toBe(201);
    expect(postOnlyOk.body).toMatchObject({ ping: null, fixedPrice: 3 });
  });

  it('refuses bad trees with the failing fields named', async () => {
    const channelId = await createChannel(await createBuyer());
    const tier = (overrides: Record<string, unknown> = {}) => ({
      name: 'tier',
      logic: 'auction',
      channelIds: [channelId],
      ...overrides,
    });
    const cases: Array<[string, unknown[], string]> = [
      ['empty tier', [tier({ channelIds: [] })], 'tiers.0.channelIds'],
      ['maxSales 0', [tier({ logic: 'shared', maxSales: 0 })], 'tiers.0.maxSales'],
      ['exclusive tier selling twice', [tier({ logic: 'waterfall', maxSales: 2 })], 'tiers.0.maxSales'],
      ['a tier after a choice tier', [tier({ logic: 'choice', maxSales: 3 }), tier()], 'tiers.1'],
      ['unknown channel', [tier({ channelIds: [channelId, '00000000-0000-4000-8000-00000000abcd'] })], 'tiers.0.channelIds.1'],
      ['not a uuid', [tier({ channelIds: ['nope'] })], 'tiers.0.channelIds.0'],
    ];
    for (const [what, tiers, field] of cases) {
      const res = await admin('POST', '/trees', { name: what, tiers });
      expect({ what, status: res.status, code: res.body.error.code, fields: fieldsOf(res.body) }).toEqual({
        what,
        status: 422,
        code: 'VALIDATION_FAILED',
        fields: [field],
      });
    }
    const noTiers = await admin('POST', '/trees', { name: 'empty', tiers: [] });
    expect(fieldsOf(noTiers.body)).toEqual(['tiers']);
    expect((await admin('GET', '/trees')).body.items.map((t: { name: string }) => t.name)).not.toContain('unknown channel');
  });

  it('checks campaigns: the tree must exist and the key must be unique', async () => {
    const treeId = await createTree([await createChannel(await createBuyer())]);
    const { key } = await createCampaign(treeId);
    const body = { key, name: 'Again', vertical: 'auto_insurance', treeId };

    const duplicate = await admin('POST', '/campaigns', body);
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.code).toBe('CONFLICT');
    expect(fieldsOf(duplicate.body)).toEqual(['key']);

    const other = await createCampaign(treeId);
    const renameToTaken = await admin('PUT', `/campaigns/${other.id}`, body);
    expect(renameToTaken.status).toBe(409);
    expect(fieldsOf(renameToTaken.body)).toEqual(['key']);

    const unknownTree = await admin('POST', '/campaigns', {
      ...body,
      key: unique('fresh'),
      treeId: '00000000-0000-4000-8000-000000000000',
    });
    expect(unknownTree.status).toBe(422);
    expect(fieldsOf(unknownTree.body)).toEqual(['treeId']);

    const invalid = await admin('POST', '/campaigns', { ...body, key: 'Not OK', vertical: 'pets', tmaxMs: 5 });
    expect(invalid.status).toBe(422);
    expect(fieldsOf(invalid.body)).toEqual(expect.arrayContaining(['key', 'vertical', 'tmaxMs']));

    const duplicateBuyer = await admin('POST', '/buyers', {
      name: (await admin('GET', '/buyers')).body.items[0].name,
      displayName: 'x',
    });
    expect(duplicateBuyer.status).toBe(409);
    expect(fieldsOf(duplicateBuyer.body)).toEqual(['name']);
  });

  it('updates a channel and a tree, and GET shows the change', async () => {
    const buyerId = await createBuyer();
    const otherBuyerId = await createBuyer();
    const channelId = await createChannel(buyerId);
    const changed = channelBody(otherBuyerId, {
      name: 'renamed',
      priority: 7,
      enabled: false,
      filters: [{ op: 'equals', field: 'geo.state', value: 'CA' }],
    });
    const put = await admin('PUT', `/channels/${channelId}`, changed);
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: channelId, name: 'renamed', buyerId: otherBuyerId, priority: 7, enabled: false });
    const got = await admin('GET', `/channels/${channelId}`);
    expect(got.body).toEqual(put.body);
    expect((await admin('GET', '/channels')).body.items).toContainEqual(put.body);

    const badPut = await admin('PUT', `/channels/${channelId}`, { ...changed, post: { url: 'not a url' } });
    expect(badPut.status).toBe(422);
    expect(fieldsOf(badPut.body)).toEqual(expect.arrayContaining(['post.url', 'post.response']));
    expect((await admin('GET', `/channels/${channelId}`)).body.name).toBe('renamed');

    const secondChannel = await createChannel(buyerId);
    const treeId = await createTree([channelId]);
    const treePut = await admin('PUT', `/trees/${treeId}`, {
      name: 'two tiers',
      tiers: [
        { name: 'auction', logic: 'auction', channelIds: [channelId] },
        { name: 'shared', logic: 'shared', maxSales: 2, channelIds: [secondChannel] },
      ],
    });
    expect(treePut.status).toBe(200);
    expect((await admin('GET', `/trees/${treeId}`)).body.tiers.map((t: { name: string }) => t.name)).toEqual([
      'auction',
      'shared',
    ]);

    const buyerPut = await admin('PUT', `/buyers/${buyerId}`, {
      name: unique('renamed-buyer'),
      displayName: 'Renamed',
      enabled: false,
    });
    expect(buyerPut.status).toBe(200);
    expect((await admin('GET', `/buyers/${buyerId}`)).body).toMatchObject({ displayName: 'Renamed', enabled: false });
  });

  it('refuses to delete what is still referenced, naming the reference, and deletes in the right order', async () => {
    const buyerId = await createBuyer();
    const channelId = await createChannel(buyerId);
    const treeId = await createTree([channelId]);
    const campaign = await createCampaign(treeId);

    const buyerDelete = await admin('DELETE', `/buyers/${buyerId}`);
    expect(buyerDelete.status).toBe(409);
    expect(buyerDelete.body.error.code).toBe('CONFLICT');
    expect(buyerDelete.body.error.message).toContain(channelId);

    const channelDelete = await admin('DELETE', `/channels/${channelId}`);
    expect(channelDelete.status).toBe(409);
    expect(channelDelete.body.error.message).toContain(treeId);

    const treeDelete = await admin('DELETE', `/trees/${treeId}`);
    expect(treeDelete.status).toBe(409);
    expect(treeDelete.body.error.message).toContain(campaign.id);
    expect(treeDelete.body.error.message).toContain(campaign.key);

    // No lead refers to the campaign: it is really deleted, then everything below it can go.
    expect(await admin('DELETE', `/campaigns/${campaign.id}`)).toEqual({
      status: 200,
      body: { id: campaign.id, result: 'deleted', message: expect.any(String) },
    });
    expect((await admin('GET', `/campaigns/${campaign.id}`)).status).toBe(404);
    for (const path of [`/trees/${treeId}`, `/channels/${channelId}`, `/buyers/${buyerId}`]) {
      const res = await admin('DELETE', path);
      expect({ path, status: res.status, result: res.body.result }).toEqual({ path, status: 200, result: 'deleted' });
      expect((await admin('GET', path)).status).toBe(404);
      expect((await admin('DELETE', path)).status).toBe(404);
    }
  });

  it('disables a campaign with leads instead of deleting it, and refuses to delete a channel with delivery history', async () => {
    const supplier = await createSupplier();
    const channelId = await createChannel(await createBuyer(), { ping: null, fixedPrice: 4 });
    const treeId = await createTree([channelId]);
    const campaign = await createCampaign(treeId);
    const first = await postLead(stack, supplier.apiKey, demoLead({ campaign: campaign.key }));
    expect(first.status).toBe(200);
    await waitForFinishedTrail(stack, first.body.leadId);

    const deleted = await admin('DELETE', `/campaigns/${campaign.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({ id: campaign.id, result: 'disabled' });
    expect(deleted.body.message).toMatch(/disabled/);
    expect((await admin('GET', `/campaigns/${campaign.id}`)).body.enabled).toBe(false);
    const refused = await postLead(stack, supplier.apiKey, demoLead({ campaign: campaign.key }));
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields[0].field).toBe('campaign');

    // Out of every tree, the channel still carries the post it was sent.
    const replacement = await createChannel(await createBuyer());
    const put = await admin('PUT', `/trees/${treeId}`, {
      name: 'moved on',
      tiers: [{ name: 't', logic: 'auction', channelIds: [replacement] }],
    });
    expect(put.status).toBe(200);
    const channelDelete = await admin('DELETE', `/channels/${channelId}`);
    expect(channelDelete.status).toBe(409);
    expect(channelDelete.body.error.message).toMatch(/delivery history \(1 post/);
    expect(channelDelete.body.error.message).toMatch(/enabled/);
  });

  it('updates suppliers and rotates their key: the old key stops working, the new one works', async () => {
    const treeId = await createTree([await createChannel(await createBuyer())]);
    const { key } = await createCampaign(treeId);
    const supplier = await createSupplier();
    expect((await postLead(stack, supplier.apiKey, demoLead({ campaign: key }))).status).toBe(200);

    const rotated = await admin('POST', `/suppliers/${supplier.id}/rotate-key`);
    expect(rotated.status).toBe(200);
    expect(rotated.body).toEqual({ id: supplier.id, apiKey: expect.any(String) });
    expect(rotated.body.apiKey).not.toBe(supplier.apiKey);
    const old = await postLead(stack, supplier.apiKey, demoLead({ campaign: key }));
    expect(old.status).toBe(401);
    expect(old.body.error.code).toBe('UNAUTHORIZED');
    expect((await postLead(stack, rotated.body.apiKey, demoLead({ campaign: key }))).status).toBe(200);

    const patched = await admin('PATCH', `/suppliers/${supplier.id}`, { name: 'Renamed partner', priceFloor: 2.5 });
    expect(patched.status).toBe(200);
    expect(patched.body).toEqual({ id: supplier.id, name: 'Renamed partner', priceFloor: 2.5, enabled: true });
    expect((await admin('GET', `/suppliers/${supplier.id}`)).body).toEqual(patched.body);

    const disabled = await admin('PATCH', `/suppliers/${supplier.id}`, { enabled: false });
    expect(disabled.body.enabled).toBe(false);
    expect((await postLead(stack, rotated.body.apiKey, demoLead({ campaign: key }))).status).toBe(401);

    for (const bad of [{}, { apiKeyHash: 'x' }, { priceFloor: -1 }, { priceFloor: 1e12 }, { name: '' }]) {
      const res = await admin('PATCH', `/suppliers/${supplier.id}`, bad);
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    const badCreate = await admin('POST', '/suppliers', { name: 'x', apiKey: 'chosen-by-caller' });
    expect(badCreate.status).toBe(422);
    expect(fieldsOf(badCreate.body)).toEqual(['(body)']);
  });

  it('answers 404 for unknown ids and 400 for ids that are not UUIDs', async () => {
    const unknown = '00000000-0000-4000-8000-00000000ffff';
    for (const resource of ['suppliers', 'buyers', 'channels', 'trees', 'campaigns']) {
      const got = await admin('GET', `/${resource}/${unknown}`);
      expect({ resource, status: got.status, code: got.body.error.code }).toEqual({ resource, status: 404, code: 'NOT_FOUND' });
      const bad = await admin('GET', `/${resource}/not-a-uuid`);
      expect({ resource, status: bad.status, code: bad.body.error.code }).toEqual({
        resource,
        status: 400,
        code: 'INVALID_REQUEST',
      });
    }
    for (const resource of ['buyers', 'channels', 'trees', 'campaigns']) {
      expect((await admin('DELETE', `/${resource}/${unknown}`)).status).toBe(404);
      expect((await admin('DELETE', `/${resource}/123`)).status).toBe(400);
    }
    const buyerId = await createBuyer();
    expect((await admin('PUT', `/buyers/${unknown}`, { name: unique('b'), displayName: 'b' })).status).toBe(404);
    expect((await admin('PUT', `/channels/${unknown}`, channelBody(buyerId))).status).toBe(404);
    expect(
      (await admin('PUT', `/trees/${unknown}`, { name: 't', tiers: [{ name: 't', logic: 'auction', channelIds: [unknown] }] }))
        .status,
    ).toBe(404);
    expect((await admin('PATCH', `/suppliers/${unknown}`, { enabled: false })).status).toBe(404);
    expect((await admin('POST', `/suppliers/${unknown}/rotate-key`)).status).toBe(404);
    expect((await admin('POST', '/suppliers/nope/rotate-key')).status).toBe(400);
  });
});
