import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { channelConfigSchema, contactValues } from '@pingtree/contracts';
import { ConfigStore } from '@pingtree/db';
import { demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';

/** The README's example channel: bearer auth, HMAC signing, a mapping with transforms, regex reading. */
function exampleChannel(buyerId: string, baseUrl: string) {
  return {
    name: 'Acme Auto (text pings, async posts)',
    buyerId,
    pingTimeoutMs: 800,
    postTimeoutMs: 3000,
    // The post may answer "queued": the buyer confirms later with a callback signed with this secret.
    asyncPost: { secret: 'acme-callback-secret-01', timeoutSeconds: 600 },
    ping: {
      url: `${baseUrl}/v2/ping`,
      method: 'POST',
      format: 'json',
      headers: { 'X-Campaign': 'auto-ca' },
      auth: { type: 'bearer', token: 'acme-live-7f3a9c' },
      signature: { header: 'X-Signature', secret: 'whsec_2b8e41d0c9', timestampHeader: 'X-Timestamp' },
      mapping: [
        { to: 'lead.zip', from: 'zip' },
        { to: 'lead.state', from: 'state', transform: { type: 'lower' } },
        { to: 'lead.age', from: 'age' },
        { to: 'lead.insured', from: 'fields.insured', transform: { type: 'boolean', true: 'Y', false: 'N' } },
        {
          to: 'lead.credit',
          from: 'fields.creditRating',
          transform: { type: 'enum', map: { excellent: 'A', good: 'B', fair: 'C' }, default: 'D' },
        },
        { to: 'lead.tcpa', from: 'consentGiven', transform: { type: 'boolean', true: 1, false: 0 } },
        { to: 'source', value: 'pingtree' },
      ],
      response: {
        format: 'text',
        accept: { regex: '^(BID|NOBID)\\b', values: ['bid'] },
        price: { regex: '\\bprice=\\$?([\\d.]+)', unit: 'dollars' },
        buyerRef: { regex: '\\bid=([\\w-]+)' },
        reason: { regex: '\\breason=(.+)$', flags: 'm' },
        expiresInSeconds: { regex: '\\bttl=(\\d+)' },
        statusMap: { '429': 'reject' },
      },
    },
    post: {
      url: `${baseUrl}/v2/post`,
      method: 'POST',
      format: 'json',
      auth: { type: 'bearer', token: 'acme-live-7f3a9c' },
      signature: { header: 'X-Signature', secret: 'whsec_2b8e41d0c9', timestampHeader: 'X-Timestamp' },
      buyerRefField: 'bid_id',
      mapping: [
        { to: 'bid_id', from: 'bid_id' },
        { to: 'consumer.name', from: ['contact.firstName', 'contact.lastName'], transform: { type: 'concat', separator: ' ' } },
        { to: 'consumer.email', from: 'contact.email', transform: { type: 'lower' } },
        { to: 'consumer.phone', from: 'contact.phone', transform: { type: 'phone', format: 'dashed' } },
        { to: 'consumer.dob', from: 'contact.dateOfBirth', transform: { type: 'date', format: 'MM/DD/YYYY' } },
        { to: 'consumer.zip', from: 'zip' },
        { to: 'consent.at', from: 'consent.timestamp', transform: { type: 'date', format: 'epoch' } },
        { to: 'consent.certificate', from: 'consent.trustedFormCertUrl' },
        { to: 'price', from: 'price' },
      ],
      response: {
        format: 'json',
        accept: { path: 'result', values: ['sold'] },
        pending: { path: 'result', values: ['queued'] },
        buyerRef: { path: 'ref' },
        reason: { paths: ['message', 'errors'] },
        redirectUrl: { regex: '"thanks"\\s*:\\s*"(https://[^"]+)"' },
      },
    },
  };
}

interface Received {
  path: string;
  body: string;
  signed: boolean;
  authorized: boolean;
}

/** A buyer that checks our bearer token and HMAC signature, answers pings in plain text and posts asynchronously. */
async function startAcme(): Promise<{ server: Server; url: string; received: Received[]; nextPing: { answer: string } }> {
  const received: Received[] = [];
  const nextPing = { answer: 'BID price=$12.50 id=AC-88f2 ttl=120' };
  const verify = (req: IncomingMessage, body: string) => {
    const timestamp = String(req.headers['x-timestamp'] ?? '');
    const expected = createHmac('sha256', 'whsec_2b8e41d0c9').update(`${timestamp}.${body}`).digest();
    const given = Buffer.from(String(req.headers['x-signature'] ?? ''), 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const entry = {
        path: req.url ?? '',
        body,
        signed: verify(req, body),
        authorized: req.headers.authorization === 'Bearer acme-live-7f3a9c',
      };
      received.push(entry);
      if (!entry.signed || !entry.authorized) {
        res.writeHead(401).end('<html><body>Unauthorized</body></html>');
      } else if (entry.path === '/v2/ping') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(nextPing.answer);
      } else {
        res
          .writeHead(202, { 'content-type': 'application/json' })
          .end(JSON.stringify({ result: 'queued', ref: 'AC-88f2', message: 'in review', thanks: 'https://acme.example/t/1' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, nextPing };
}

describe('a buyer integration configured, not coded', () => {
  let stack: TestStack;
  let acme: Awaited<ReturnType<typeof startAcme>>;
  let apiKey: string;
  let channelId: string;

  beforeAll(async () => {
    acme = await startAcme();
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    const buyerId = await store.createBuyer({ name: 'acme', displayName: 'Acme Auto' });
    channelId = await store.createChannel(channelConfigSchema.parse(exampleChannel(buyerId, acme.url)));
    const treeId = await store.createTree({ name: 't', tiers: [{ name: 'auction', logic: 'auction', channelIds: [channelId] }] });
    await store.createCampaign({ key: 'demo-auto', name: 'c', vertical: 'auto_insurance', treeId, dedupeWindowHours: 0 });
    apiKey = (await store.createSupplier('s')).apiKey;
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await new Promise((resolve) => acme?.server.close(resolve));
  });

  it('pings without contact data, reads the text bid, and posts the mapped lead with auth and signature', async () => {
    const lead = demoLead();
    const { status, body } = await postLead(stack, apiKey, lead);
    expect(status).toBe(200);
    // The buyer answered the post "queued", so the lead waits for its callback: no trail to wait for.

    const ping = acme.received.find((r) => r.path === '/v2/ping')!;
    const post = acme.received.find((r) => r.path === '/v2/post')!;
    expect(ping).toMatchObject({ signed: true, authorized: true });
    expect(post).toMatchObject({ signed: true, authorized: true });
    expect(JSON.parse(ping.body)).toEqual({
      lead: { zip: '94105', state: 'ca', age: expect.any(Number), insured: 'Y', credit: 'B', tcpa: 1 },
      source: 'pingtree',
    });
    for (const value of contactValues(lead.contact as Parameters<typeof contactValues>[0]))
      expect(ping.body).not.toContain(value);

    const posted = JSON.parse(post.body);
    expect(posted).toEqual({
      bid_id: 'AC-88f2',
      consumer: {
        name: 'Ada Lovelace',
        email: lead.contact.email,
        phone: expect.stringMatching(/^415-\d{3}-\d{4}$/),
        dob: '04/12/1985',
        zip: '94105',
      },
      consent: { at: Math.floor(Date.parse(lead.consent.timestamp!) / 1000), certificate: lead.consent.trustedFormCertUrl },
      price: 12.5,
    });
    // The async answer (202, "queued") holds the lead until the buyer's callback.
    expect(body.state).toBe('awaiting_callback');
  });

  it('reads a plain-text no-bid and its reason', async () => {
    acme.nextPing.answer = 'NOBID\nreason=Duplicate lead';
    const { body } = await postLead(stack, apiKey, demoLead());
    const trail = await waitForFinishedTrail(stack, body.leadId);
    const pinged = trail.find((e) => e.type === 'pinged' && e.channelId === channelId);
    expect(pinged.data).toMatchObject({ outcome: 'rejected', reason: 'Duplicate lead' });
  });
});
