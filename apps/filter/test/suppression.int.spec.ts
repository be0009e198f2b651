import { createHash } from 'node:crypto';
import { request } from 'undici';
import { demoLead, startTestStack, type TestStack } from '@pingtree/testing';
import { startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { sendLead, wire, type Wired } from './filter-test-kit';

/**
 * Suppression lists loaded through the admin API (CSV and JSON, thousands of rows), stored as hashes
 * only, and applied by the filter: global and campaign lists exclude every channel, buyer lists
 * that buyer's channels, before any ping.
 */
describe('suppression lists (real NATS, PostgreSQL and buyers)', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let w: Wired;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 8 });
    stack = await startTestStack();
    w = await wire(stack, sim, [
      { key: 'acme-1', buyer: 'acme', priority: 2 },
      { key: 'acme-2', buyer: 'acme', priority: 1 },
      { key: 'zenith', buyer: 'zenith' },
    ]);
    await stack.reloadConfig();
  });

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  async function admin(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, contentType = 'application/json') {
    const res = await request(`${stack.gatewayUrl}/v1/admin/suppression-lists${path}`, {
      method,
      headers: { 'x-admin-key': stack.env.ADMIN_API_KEY, ...(body !== undefined && { 'content-type': contentType }) },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: res.statusCode, body: (await res.body.json()) as any };
  }

  async function createList(body: Record<string, unknown>): Promise<string> {
    const res = await admin('POST', '', body);
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  /** `count` valid US phones, none of them a demo lead's (area code 212). */
  const fillerPhones = (count: number, exchange: number) =>
    Array.from({ length: count }, (_, i) => `(212) ${exchange}-${String(i).padStart(4, '0')}`);

  it('a global do-not-call list loaded as CSV excludes every channel before any ping', async () => {
    const listId = await createList({ name: 'national-dnc', scope: 'global' });
    const lead = demoLead();
    const rows = fillerPhones(2999, 300).map((p) => `"${p}",`);
    const csv = ['Phone,Email', ...rows.slice(0, 1500), `${lead.contact.phone},`, ...rows.slice(1500), ''].join('\r\n');
    const upload = await admin('POST', `/${listId}/entries`, csv, 'text/csv');
    expect(upload).toEqual({
      status: 200,
      body: { id: listId, received: 3000, hashes: 3000, added: 3000, alreadyListed: 0 },
    });
    const again = await admin('POST', `/${listId}/entries`, csv, 'text/csv');
    expect(again.body).toMatchObject({ added: 0, alreadyListed: 3000 });
    expect((await admin('GET', `/${listId}`)).body).toMatchObject({ name: 'national-dnc', scope: 'global', entries: 3000 });

    // Only hashes are stored: the phone's E.164 form hashed as dedupe keys hash it.
    const e164 = `+1${lead.contact.phone.replace(/\D/g, '')}`;
    const hash = createHash('sha256').update(`phone:${e164}`).digest('hex');
    const [stored] = (await stack.ds.query(`SELECT count(*)::int AS n FROM suppression_entries WHERE key_hash = $1`, [hash])) as [
      { n: number },
    ];
    expect(stored.n).toBe(1);

    sim.clearRequests();
    const { decision, excluded, pinged } = await sendLead(stack, w, lead);
    expect(decision).toMatchObject({ state: 'unsold', reason: 'no_eligible_channel' });
    expect(pinged).toEqual([]);
    for (const key of ['acme-1', 'acme-2', 'zenith']) {
      expect(excluded[key]).toEqual({ reason: 'suppressed', detail: 'on global suppression list "national-dnc" (do_not_call)' });
    }
    expect(sim.requests({ kind: 'ping' })).toHaveLength(0);

    const clean = await sendLead(stack, w, demoLead());
    expect(clean.decision.state).toBe('sold');
    expect(clean.excluded).toEqual({});
    expect((await admin('DELETE', `/${listId}`)).status).toBe(200);
    // A new supplier lead id: the same one would replay the first (unsold) answer.
    expect((await sendLead(stack, w, { ...lead, supplierLeadId: `${lead.supplierLeadId}-again` })).decision.state).toBe('sold');
  });

  it('a buyer list excludes only that buyer’s channels; a campaign list the whole campaign, matching by email too', async () => {
    const byEmail = demoLead();
    const byPhone = demoLead();
    const buyerList = await createList({
      name: 'acme-complaints',
      kind: 'complaint',
      scope: 'buyer',
      buyerId: w.buyerOf.get('acme'),
    });
    const upload = await admin('POST', `/${buyerList}/entries`, {
      entries: [
        { email: ` ${byEmail.contact.email.toUpperCase()} ` },
        { phone: byPhone.contact.phone, email: 'someone@example.org' },
      ],
    });
    expect(upload.body).toMatchObject({ received: 2, hashes: 3, added: 3 });

    for (const lead of [byEmail, byPhone]) {
      const { decision, excluded, pinged } = await sendLead(stack, w, lead);
      expect(decision.state).toBe('sold');
      expect(decision.sales[0].buyer).toBe('zenith');
      expect(pinged).toEqual(['zenith']);
      expect(excluded).toEqual({
        'acme-1': { reason: 'suppressed', detail: 'on buyer suppression list "acme-complaints" (complaint)' },
        'acme-2': { reason: 'suppressed', detail: 'on buyer suppression list "acme-complaints" (complaint)' },
      });
    }

    const campaignLead = demoLead();
    const campaignList = await createList({
      name: 'campaign-optouts',
      kind: 'other',
      scope: 'campaign',
      campaignId: w.campaignId,
    });
    await admin('POST', `/${campaignList}/entries`, { entries: [{ email: campaignLead.contact.email }] });
    const { decision, excluded } = await sendLead(stack, w, campaignLead);
    expect(decision.state).toBe('unsold');
    expect(Object.values(excluded).map((e) => e.reason)).toEqual(['suppressed', 'suppressed', 'suppressed']);
    expect(excluded['zenith']?.detail).toBe('on campaign suppression list "campaign-optouts" (other)');
  });

  it('validates lists and entries, naming each bad field, and adds nothing from a bad upload', async () => {
    const bad = await admin('POST', '', { name: '', scope: 'buyer', campaignId: 'nope' });
    expect(bad.status).toBe(422);
    expect(bad.body.error.fields).toEqual(
      expect.arrayContaining([
        { field: 'name', message: expect.any(String) },
        { field: 'campaignId', message: 'not allowed for scope buyer' },
        { field: 'buyerId', message: 'required for scope buyer' },
      ]),
    );
    const missingBuyer = await admin('POST', '', { name: 'x', scope: 'buyer' });
    expect(missingBuyer.body.error.fields).toEqual([{ field: 'buyerId', message: 'required for scope buyer' }]);
    const unknownBuyer = await admin('POST', '', { name: 'x', scope: 'buyer', buyerId: '00000000-0000-4000-8000-000000000009' });
    expect(unknownBuyer.status).toBe(422);
    expect(unknownBuyer.body.error.fields).toEqual([{ field: 'buyerId', message: 'no buyer with this id' }]);
    await createList({ name: 'dup-name', scope: 'global' });
    expect((await admin('POST', '', { name: 'dup-name', scope: 'global' })).status).toBe(409);

    const listId = await createList({ name: 'strict', scope: 'global' });
    const json = await admin('POST', `/${listId}/entries`, {
      entries: [{ phone: '(415) 555-0134' }, { phone: '(015) 555-0134' }, {}, { email: 'not-an-email' }],
    });
    expect(json.status).toBe(422);
    expect(json.body.error.fields).toEqual([
      { field: 'entries.1.phone', message: 'must be a valid US phone number' },
      { field: 'entries.2.phone', message: 'needs a phone, an email or both' },
      { field: 'entries.3.email', message: 'must be a valid email address' },
    ]);
    const csv = await admin('POST', `/${listId}/entries`, 'email,phone\nada@example.com,\n\nbad@,4155550134\n', 'text/csv');
    expect(csv.status).toBe(422);
    expect(csv.body.error.fields).toEqual([{ field: 'line.4.email', message: 'must be a valid email address' }]);
    const noHeader = await admin('POST', `/${listId}/entries`, '4155550134\n', 'text/csv');
    expect(noHeader.body.error.fields[0].field).toBe('line.1');
    expect((await admin('POST', `/${listId}/entries`, { entries: [] })).status).toBe(422);
    expect((await admin('GET', `/${listId}`)).body.entries).toBe(0);
    expect(
      (await admin('POST', `/00000000-0000-4000-8000-000000000009/entries`, { entries: [{ phone: '4155550134' }] })).status,
    ).toBe(404);

    const unauthorised = await request(`${stack.gatewayUrl}/v1/admin/suppression-lists`, { method: 'GET' });
    expect(unauthorised.statusCode).toBe(401);
    await unauthorised.body.dump();
  });
});
