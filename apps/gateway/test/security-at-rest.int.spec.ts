import { createHmac } from 'node:crypto';
import { request } from 'undici';
import { cipherFromEnv, openLeadField, SECRET_MASK } from '@pingtree/crypto';
import { encryptStoredPlaintext } from '../../../libs/db/src/migrations/1763971200000-security-hardening';
import { ADMIN_KEY, demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { simChannelCalls, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';

const TOKEN = 'bearer-token-7f3a9c1e55d0';
const NEW_TOKEN = 'rotated-token-99aa11bb22cc';
const SIGNING_SECRET = 'whsec-signing-2b8e41d0c9';
const CALLBACK_SECRET = 'callback-secret-0123456789abcdef';
const SECRETS = [TOKEN, NEW_TOKEN, SIGNING_SECRET, CALLBACK_SECRET];

/** Distinctive contact values, so finding one in a row or a log can't be a coincidence. */
function lead(n: number) {
  const base = demoLead({ campaign: 'sec-auto' });
  return {
    ...base,
    contact: { ...base.contact, firstName: 'Zenobia', lastName: `Quarterfield${n}` },
    consent: { ...base.consent, text: `I agree to be called by Acme, consent number ${n}.` },
  };
}

/** What must never be readable in the database or the logs: every contact value and the consent evidence. */
function clearValues(body: ReturnType<typeof lead>): string[] {
  const digits = body.contact.phone.replace(/\D/g, '');
  return [
    body.contact.email,
    body.contact.lastName,
    body.contact.address!,
    digits,
    `${digits.slice(0, 3)}-${digits.slice(3, 6)}`,
    body.consent.text!,
    body.consent.trustedFormCertUrl!,
  ];
}

/**
 * Encryption at rest against the real stack: contact data and consent evidence in `leads`, buyer
 * credentials and HMAC secrets in `channels.config`, checked with raw SQL; the admin API masks
 * secrets; the buyer still receives clear contact data and the right credentials; nothing leaks
 * into logs (captured at debug level) or the trail.
 */
describe('security: encryption at rest', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let apiKey = '';
  let channelId = '';
  let created: any;
  let logs = '';
  const restore: Array<() => void> = [];
  const sent: Array<ReturnType<typeof lead>> = [];

  async function admin(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) {
    const res = await request(`${stack.gatewayUrl}/v1/admin${path}`, {
      method,
      headers: { 'x-admin-key': ADMIN_KEY, ...(body !== undefined && { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.statusCode, body: (await res.body.json()) as any };
  }

  async function sell(n: number) {
    const body = lead(n);
    sent.push(body);
    const res = await postLead(stack, apiKey, body);
    expect(res.status).toBe(200);
    expect(res.body.state).toBe('sold');
    await waitForFinishedTrail(stack, res.body.leadId);
    const calls = sim.requests({ buyer: 'acme' }).filter((r) => r.rawBody.includes(res.body.leadId));
    return {
      body,
      leadId: res.body.leadId as string,
      ping: calls.find((r) => r.kind === 'ping')!,
      post: calls.find((r) => r.kind === 'post')!,
    };
  }

  const storedChannel = async () =>
    ((await stack.ds.query(`SELECT config FROM channels WHERE id = $1`, [channelId])) as Array<{ config: any }>)[0]!.config;

  beforeAll(async () => {
    // Everything the services write to stdout/stderr during this file, at debug level (kept, not shown).
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      stream.write = ((chunk: unknown) => {
        logs += String(chunk);
        return true;
      }) as typeof stream.write;
      restore.push(() => (stream.write = write));
    }
    sim = await startBuyerSim({
      seed: 8,
      buyers: [{ key: 'acme', style: 'bid-json', bid: { min: 10, max: 10 }, pingRejectRate: 0, postRejectRate: 0 }],
    });
    stack = await startTestStack({ env: { LOG_LEVEL: 'debug' } });
    const buyer = await admin('POST', '/buyers', { name: 'acme', displayName: 'Acme' });
    const calls = simChannelCalls(sim.url, 'acme', 'bid-json');
    const channel = await admin('POST', '/channels', {
      name: 'acme',
      buyerId: buyer.body.id,
      ping: { ...calls.ping, auth: { type: 'bearer', token: TOKEN } },
      post: {
        ...calls.post,
        auth: { type: 'bearer', token: TOKEN },
        signature: { header: 'X-Signature', secret: SIGNING_SECRET, timestampHeader: 'X-Timestamp' },
      },
      asyncPost: { secret: CALLBACK_SECRET, timeoutSeconds: 60 },
    });
    expect(channel.status).toBe(201);
    created = channel.body;
    channelId = channel.body.id;
    const tree = await admin('POST', '/trees', {
      name: 'sec',
      tiers: [{ name: 'a', logic: 'auction', channelIds: [channelId] }],
    });
    await admin('POST', '/campaigns', {
      key: 'sec-auto',
      name: 'sec',
      vertical: 'auto_insurance',
      treeId: tree.body.id,
      dedupeWindowHours: 0,
    });
    apiKey = (await admin('POST', '/suppliers', { name: 'sec supplier' })).body.apiKey;
    await stack.reloadConfig();
  });

  afterAll(async () => {
    restore.forEach((r) => r());
    await stack?.close();
    await sim?.close();
  });

  it('stores contact data and consent evidence as envelopes, and the buyer who bought still gets them in clear', async () => {
    const { body, leadId, ping, post } = await sell(1);
    const [row] = (await stack.ds.query(`SELECT row_to_json(l)::text AS text, contact, consent FROM leads l WHERE id = $1`, [
      leadId,
    ])) as Array<{ text: string; contact: Record<string, unknown>; consent: Record<string, unknown> }>;
    for (const value of clearValues(body)) expect(row!.text).not.toContain(value);
    const keyId = process.env['PINGTREE_ENCRYPTION_KEYS']!.split(':')[0];
    for (const envelope of [row!.contact, row!.consent]) {
      expect(Object.keys(envelope).sort()).toEqual(['data', 'iv', 'kid', 'tag']);
      expect(envelope['kid']).toBe(keyId);
    }

    const delivered = post.body as any;
    expect(delivered.contact).toMatchObject({ firstName: 'Zenobia', lastName: 'Quarterfield1', email: body.contact.email });
    expect(delivered.contact.phone.replace(/\D/g, '')).toContain(body.contact.phone.replace(/\D/g, ''));
    expect(delivered.consent).toMatchObject({
      given: true,
      text: body.consent.text,
      trustedFormCertUrl: body.consent.trustedFormCertUrl,
    });
    for (const value of clearValues(body)) expect(ping.rawBody).not.toContain(value);
  });

  it('stores buyer credentials and HMAC secrets encrypted, answers them masked, and still authenticates to the buyer', async () => {
    const stored = JSON.stringify(await storedChannel());
    for (const secret of SECRETS) expect(stored).not.toContain(secret);
    expect(stored).toContain('"kid"');

    for (const shown of [created, (await admin('GET', `/channels/${channelId}`)).body, (await admin('GET', '/channels')).body]) {
      const text = JSON.stringify(shown);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
      expect(text).toContain(SECRET_MASK);
    }
    const got = (await admin('GET', `/channels/${channelId}`)).body;
    expect(got.ping.auth).toEqual({ type: 'bearer', token: SECRET_MASK });
    expect(got.post.signature.secret).toBe(SECRET_MASK);
    expect(got.asyncPost.secret).toBe(SECRET_MASK);

    const { ping, post } = await sell(2);
    expect(ping.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    expect(post.headers['authorization']).toBe(`Bearer ${TOKEN}`);
    const timestamp = String(post.headers['x-timestamp']);
    const expected = createHmac('sha256', SIGNING_SECRET).update(`${timestamp}.${post.rawBody}`).digest('hex');
    expect(post.headers['x-signature']).toBe(expected);
  });

  it('keeps the stored secret when a PUT sends the mask back, replaces it when a PUT sends a new one', async () => {
    const { id: _id, ...shown } = (await admin('GET', `/channels/${channelId}`)).body;
    const before = await storedChannel();
    const kept = await admin('PUT', `/channels/${channelId}`, { ...shown, name: 'acme renamed' });
    expect(kept.status).toBe(200);
    expect(JSON.stringify(kept.body)).not.toContain(TOKEN);
    const after = await storedChannel();
    expect(after.name).toBe('acme renamed');
    expect(after.ping.auth.token).toEqual(before.ping.auth.token);
    expect(after.post.signature.secret).toEqual(before.post.signature.secret);
    await stack.reloadConfig();
    expect((await sell(3)).ping.headers['authorization']).toBe(`Bearer ${TOKEN}`);

    const replaced = await admin('PUT', `/channels/${channelId}`, {
      ...shown,
      ping: { ...shown.ping, auth: { type: 'bearer', token: NEW_TOKEN } },
    });
    expect(replaced.status).toBe(200);
    expect(JSON.stringify(await storedChannel())).not.toContain(NEW_TOKEN);
    await stack.reloadConfig();
    const third = await sell(4);
    expect(third.ping.headers['authorization']).toBe(`Bearer ${NEW_TOKEN}`);
    expect(third.post.headers['authorization']).toBe(`Bearer ${TOKEN}`);

    // Version history shows the change of secret, masked, never the secret or its envelope.
    const versions = await admin('GET', `/channels/${channelId}/versions`);
    expect(versions.status).toBe(200);
    const history = JSON.stringify(versions.body);
    for (const secret of SECRETS) expect(history).not.toContain(secret);
    expect(history).not.toContain('"iv"');
    expect(versions.body.items[0].diff).toContainEqual({ path: 'ping.auth.token', before: SECRET_MASK, after: SECRET_MASK });

    // The mask where nothing is stored (a new kind of auth) is refused, naming the field.
    const refused = await admin('PUT', `/channels/${channelId}`, {
      ...shown,
      ping: { ...shown.ping, auth: { type: 'basic', username: 'acme', password: SECRET_MASK } },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.fields).toEqual([
      { field: 'ping.auth.password', message: expect.stringContaining('send the secret') },
    ]);
  });

  it('encrypts rows stored in plain text before encryption existed (the migration)', async () => {
    const legacyId = '00000000-0000-4000-8000-00000000face';
    const contact = { firstName: 'Legacy', lastName: 'Plaintextson', email: 'legacy.plain@example.com', phone: '+14155550199' };
    await stack.ds.query(
      `INSERT INTO leads (id, campaign_id, supplier_id, state, received_at, deadline_at, ping_lead, contact, consent, lifecycle, updated_at)
       SELECT $1, campaign_id, supplier_id, 'unsold', received_at, deadline_at, ping_lead, $2, $3, lifecycle, updated_at FROM leads LIMIT 1`,
      [legacyId, JSON.stringify(contact), JSON.stringify({ given: true, text: 'legacy consent text' })],
    );
    await stack.ds.query(
      `UPDATE channels SET config = jsonb_set(config, '{post,auth,token}', '"legacy-plain-token-42"') WHERE id = $1`,
      [channelId],
    );

    const runner = stack.ds.createQueryRunner();
    try {
      await encryptStoredPlaintext(runner);
    } finally {
      await runner.release();
    }
    const [row] = (await stack.ds.query(`SELECT contact, consent FROM leads WHERE id = $1`, [legacyId])) as Array<{
      contact: any;
      consent: any;
    }>;
    expect(JSON.stringify(row)).not.toMatch(/Plaintextson|legacy\.plain|5550199|legacy consent/);
    const cipher = cipherFromEnv();
    expect(openLeadField(cipher, legacyId, 'contact', row!.contact)).toEqual(contact);
    expect(openLeadField(cipher, legacyId, 'consent', row!.consent)).toEqual({ given: true, text: 'legacy consent text' });
    expect(JSON.stringify(await storedChannel())).not.toContain('legacy-plain-token-42');

    // The catalog decrypts the migrated secret: the buyer receives it.
    await stack.reloadConfig();
    expect((await sell(5)).post.headers['authorization']).toBe('Bearer legacy-plain-token-42');
    SECRETS.push('legacy-plain-token-42');
  });

  it('writes no secret and no contact value to the logs or the trail', async () => {
    const trail = JSON.stringify(await stack.ds.query(`SELECT type, data FROM lead_events`));
    expect(trail).toContain('posted'); // the trail is there, with redacted requests
    expect(logs.length).toBeGreaterThan(0); // the services did log (debug level)
    for (const value of [...SECRETS, ...sent.flatMap((l) => [l.contact.email, l.contact.lastName, l.consent.text!])]) {
      expect(trail).not.toContain(value);
      expect(logs).not.toContain(value);
    }
  });
});
