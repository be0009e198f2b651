import { request } from 'undici';
import { Client } from 'pg';
import { FieldCipher, generateEncryptionKey, isEnvelope, openChannelSecrets, openLeadField } from '@pingtree/crypto';
import { ADMIN_KEY, demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { DEMO_SUPPLIER_KEY, seedDemo } from '../demo/seed-demo';
import { DEMO_BUYERS, simChannelCalls, startBuyerSim, type BuyerSim } from '../../apps/buyer-sim/src';
import { reencrypt } from './reencrypt';

const TOKEN = 'bearer-token-for-rotation-4d1c';
const SIGNING_SECRET = 'whsec-rotation-8e2f';

/**
 * Key rotation on the real database: data sealed under the old key, then `reencrypt` with a new key
 * first; afterwards the new key alone opens every lead, channel secret and channel version.
 */
describe('reencrypt: key rotation', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let db: Client;
  const leadIds: string[] = [];
  let channelId = '';
  const newKey = generateEncryptionKey('k2');

  async function admin(method: 'POST' | 'PUT', path: string, body: unknown) {
    const res = await request(`${stack.gatewayUrl}/v1/admin${path}`, {
      method,
      headers: { 'x-admin-key': ADMIN_KEY, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.statusCode, body: (await res.body.json()) as any };
  }

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 5, buyers: DEMO_BUYERS.map((b) => ({ ...b, pingRejectRate: 0, postRejectRate: 0 })) });
    stack = await startTestStack();
    await seedDemo(stack.ds, sim.url);
    await stack.reloadConfig();
    const buyer = await admin('POST', '/buyers', { name: 'rotating', displayName: 'Rotating' });
    const calls = simChannelCalls(sim.url, 'rotating', 'bid-json');
    const config = {
      name: 'rotating',
      buyerId: buyer.body.id,
      ping: { ...calls.ping, auth: { type: 'bearer', token: TOKEN } },
      post: { ...calls.post, signature: { header: 'X-Signature', secret: SIGNING_SECRET } },
    };
    const channel = await admin('POST', '/channels', config);
    expect(channel.status).toBe(201);
    channelId = channel.body.id;
    // A second version of the channel.
    const saved = await admin('PUT', `/channels/${channelId}`, { ...config, priority: 7 });
    expect(saved.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
      await waitForFinishedTrail(stack, body.leadId);
      leadIds.push(body.leadId);
    }
    // One lead as stored before encryption was turned on: plain consent.
    await stack.ds.query(`UPDATE leads SET consent = '{"text": "plain consent from before"}' WHERE id = $1`, [leadIds[0]]);
    db = new Client({ connectionString: stack.db.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await stack?.close();
    await sim?.close();
  });

  it('counts in a dry run, re-seals under the new key, and is done after one run', async () => {
    const oldKeys = process.env['PINGTREE_ENCRYPTION_KEYS']!;
    const rotated = FieldCipher.fromKeyList(`${newKey},${oldKeys}`);
    const dry = await reencrypt(db, rotated, true);
    expect(dry.keyId).toBe('k2');
    expect(dry.leads.resealed).toBeGreaterThanOrEqual(3);
    expect(dry.channels.resealed).toBe(1);
    expect(dry.channelVersions.resealed).toBe(2);
    const [{ n: stillOld }] = (
      await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM leads WHERE contact->>'kid' <> 'k2'`)
    ).rows as [{ n: number }];
    expect(stillOld).toBe(dry.leads.resealed);

    const done = await reencrypt(db, rotated);
    expect(done.leads).toMatchObject({ resealed: dry.leads.resealed, changedMeanwhile: 0 });
    expect(done.channels.resealed).toBe(1);
    expect(done.channelVersions.resealed).toBe(2);
    const again = await reencrypt(db, rotated);
    expect([again.leads.resealed, again.channels.resealed, again.channelVersions.resealed]).toEqual([0, 0, 0]);
  });

  it('leaves nothing the old key is needed for', async () => {
    const newOnly = FieldCipher.fromKeyList(newKey);
    const leads = (
      await db.query<{ id: string; contact: unknown; consent: unknown }>(`SELECT id::text, contact, consent FROM leads`)
    ).rows;
    for (const row of leads) {
      expect(isEnvelope(row.contact) && isEnvelope(row.consent)).toBe(true);
      expect(openLeadField<Record<string, unknown>>(newOnly, row.id, 'contact', row.contact)).toHaveProperty('phone');
      openLeadField(newOnly, row.id, 'consent', row.consent);
    }
    const plain = leads.find((r) => r.id === leadIds[0])!;
    expect(openLeadField(newOnly, plain.id, 'consent', plain.consent)).toEqual({ text: 'plain consent from before' });

    const configs = [
      ...(await db.query<{ config: any }>(`SELECT config FROM channels WHERE id = $1`, [channelId])).rows,
      ...(
        await db.query<{ config: any }>(`SELECT config FROM config_versions WHERE entity_type = 'channel' AND entity_id = $1`, [
          channelId,
        ])
      ).rows,
    ];
    expect(configs).toHaveLength(3);
    for (const { config } of configs) {
      expect(config.ping.auth.token.kid).toBe('k2');
      const open = openChannelSecrets(config, newOnly);
      expect(open.ping.auth.token).toBe(TOKEN);
      expect(open.post.signature.secret).toBe(SIGNING_SECRET);
    }
  });
});
