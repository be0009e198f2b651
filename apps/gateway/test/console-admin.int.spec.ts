import { randomUUID } from 'node:crypto';
import { LEAD_EVENT_BATCH_SUBJECT, leadEventId, withNamespace, type LeadEvent } from '@pingtree/contracts';
import { connectNats } from '@pingtree/messaging';
import { request } from 'undici';
import { ADMIN_KEY, demoLead, postLead, startTestStack, waitForFinishedTrail, type TestStack } from '@pingtree/testing';
import { DEMO_BUYERS, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { DEMO_SUPPLIER_KEY, seedDemo } from '../../../tools/demo/seed-demo';

/**
 * The admin pieces the console is built on, against the real stack and the demo configuration:
 * lead search (contact data matched by hash, never returned), circuit and caps, live decisions
 * over SSE, and versions of trees and channels with diff and rollback.
 */
describe('console admin API', () => {
  let stack: TestStack;
  let sim: BuyerSim;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 7, buyers: [...DEMO_BUYERS] });
    stack = await startTestStack();
    await seedDemo(stack.ds, sim.url);
    await stack.reloadConfig();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await sim?.close();
  });

  async function admin(method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await request(`${stack.gatewayUrl}${path}`, {
      method,
      headers: { 'x-admin-key': ADMIN_KEY, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    return { status: res.statusCode, body: (text ? JSON.parse(text) : null) as any, text };
  }

  async function demoTree() {
    const trees = (await admin('GET', '/v1/admin/trees')).body.items as any[];
    return trees.find((t) => t.name === 'demo auto tree');
  }

  describe('lead search', () => {
    const sent: Array<{ id: string; phone: string; email: string; supplierLeadId: string }> = [];

    beforeAll(async () => {
      for (let i = 0; i < 3; i++) {
        const lead = demoLead();
        const { status, body } = await postLead(stack, DEMO_SUPPLIER_KEY, lead);
        expect(status).toBe(200);
        sent.push({
          id: body.leadId,
          phone: lead.contact!.phone!,
          email: lead.contact!.email!,
          supplierLeadId: lead.supplierLeadId!,
        });
      }
      for (const s of sent) await waitForFinishedTrail(stack, s.id);
    }, 30_000);

    it('finds a lead by phone in another spelling, by email in another case and by supplier lead id', async () => {
      const target = sent[1]!;
      const digits = target.phone.replace(/\D/g, '');
      const byPhone = await admin('GET', `/v1/admin/leads?phone=${encodeURIComponent(`+1 ${digits}`)}`);
      expect(byPhone.status).toBe(200);
      expect(byPhone.body.items.map((l: any) => l.id)).toEqual([target.id]);
      const byEmail = await admin('GET', `/v1/admin/leads?email=${encodeURIComponent(target.email.toUpperCase())}`);
      expect(byEmail.body.items.map((l: any) => l.id)).toEqual([target.id]);
      const byRef = await admin('GET', `/v1/admin/leads?supplierLeadId=${encodeURIComponent(target.supplierLeadId)}`);
      expect(byRef.body.items.map((l: any) => l.id)).toEqual([target.id]);
      // Never contact data: not the phone, not the email, not the name.
      for (const res of [byPhone, byEmail, byRef]) {
        expect(res.text).not.toContain(digits.slice(-7));
        expect(res.text.toLowerCase()).not.toContain(target.email.toLowerCase());
        expect(res.text).not.toContain('Lovelace');
      }
      expect(byRef.body.items[0]).toMatchObject({ supplier: { name: 'Demo Supplier' }, campaign: { key: 'demo-auto' } });
    });

    it('filters by state, time range and channel, and pages with a cursor', async () => {
      const all = await admin('GET', '/v1/admin/leads?limit=2');
      expect(all.body.items).toHaveLength(2);
      expect(all.body.nextCursor).toEqual(expect.any(String));
      const rest = await admin('GET', `/v1/admin/leads?limit=2&cursor=${all.body.nextCursor}`);
      const ids = [...all.body.items, ...rest.body.items].map((l: any) => l.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.sort()).toEqual(sent.map((s) => s.id).sort());

      const future = new Date(Date.now() + 3_600_000).toISOString();
      expect((await admin('GET', `/v1/admin/leads?from=${encodeURIComponent(future)}`)).body.items).toEqual([]);

      const sold = (await admin('GET', '/v1/admin/leads?state=sold')).body.items as any[];
      expect(sold.every((l) => l.state === 'sold')).toBe(true);

      // The premium tier pings every lead: each lead was pinged to its first channel.
      const tree = await demoTree();
      const premium = tree.tiers[0].channelIds[0];
      const pinged = await admin('GET', `/v1/admin/leads?channelId=${premium}`);
      expect(pinged.body.items.map((l: any) => l.id).sort()).toEqual(sent.map((s) => s.id).sort());
    });

    it('refuses bad parameters with the field named', async () => {
      const res = await admin('GET', '/v1/admin/leads?phone=12&state=lost&limit=0&cursor=nope');
      expect(res.status).toBe(422);
      const fields = (res.body.error.fields as any[]).map((f) => f.field);
      expect(fields).toEqual(expect.arrayContaining(['state', 'limit']));
      const phone = await admin('GET', '/v1/admin/leads?phone=12&cursor=nope');
      expect((phone.body.error.fields as any[]).map((f) => f.field).sort()).toEqual(['cursor', 'phone']);
      expect((await admin('GET', '/v1/admin/leads', undefined, { 'x-admin-key': 'wrong-key-wrong-key' })).status).toBe(401);
    });
  });

  it('reports a channel circuit (closed when never opened) and its caps against their limits', async () => {
    const channels = (await admin('GET', '/v1/admin/channels')).body.items as any[];
    const channel = channels.find((c) => c.name === 'acme-insurance main');
    const circuit = await admin('GET', `/v1/admin/channels/${channel.id}/circuit`);
    expect(circuit.status).toBe(200);
    expect(circuit.body).toMatchObject({ channelId: channel.id, state: 'closed' });

    const { id: _id, ...config } = channel;
    const capped = await admin('PUT', `/v1/admin/channels/${channel.id}`, { ...config, caps: [{ period: 'day', count: 500 }] });
    expect(capped.status).toBe(200);
    const caps = await admin('GET', `/v1/admin/channels/${channel.id}/caps`);
    expect(caps.body.items).toEqual([
      expect.objectContaining({ period: 'day', limitCount: 500, usedCount: expect.any(Number), windowStart: expect.any(String) }),
    ]);
    expect((await admin('GET', `/v1/admin/channels/00000000-0000-4000-8000-000000000000/circuit`)).status).toBe(404);
  });

  /** Opens the live view, runs `act`, and returns the stream's text once it mentions `leadId` (or after 10 s). */
  async function watchLive(act: () => Promise<string>): Promise<{ leadId: string; text: string }> {
    const controller = new AbortController();
    const res = await fetch(`${stack.gatewayUrl}/v1/admin/live`, {
      headers: { 'x-admin-key': ADMIN_KEY },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    let text = '';
    const leadId = await act();
    const until = Date.now() + 10_000;
    while (!text.includes(leadId) && Date.now() < until) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += Buffer.from(chunk.value).toString('utf8');
    }
    controller.abort();
    return { leadId, text };
  }

  function liveLead(text: string, leadId: string): unknown {
    const event = text
      .split('\n\n')
      .find((e) => e.includes(leadId))!
      .split('\n')
      .find((l) => l.startsWith('data: '))!;
    return JSON.parse(event.slice(6));
  }

  it('streams decisions as they finish over Server-Sent Events', async () => {
    let state = '';
    const { leadId, text } = await watchLive(async () => {
      const { body } = await postLead(stack, DEMO_SUPPLIER_KEY, demoLead());
      state = body.state;
      return body.leadId;
    });
    expect(liveLead(text, leadId)).toMatchObject({ leadId, state });
    expect(text).toContain('event: lead');
  });

  it('also streams decisions that went out in a batch of events (ADR 0009)', async () => {
    const nc = await connectNats(stack.env.NATS_URL, 'live-batch-test');
    try {
      const { leadId, text } = await watchLive(async () => {
        const id = randomUUID();
        const event = (type: 'received' | 'finished', data: Record<string, unknown>): LeadEvent => ({
          id: leadEventId(id, type),
          leadId: id,
          type,
          service: 'gateway',
          at: Date.now(),
          tierIndex: null,
          channelId: null,
          data,
        });
        const batch = { events: [event('received', {}), event('finished', { state: 'unsold', ms: 12, reason: 'no_bids' })] };
        nc.publish(withNamespace(stack.env.PINGTREE_NAMESPACE, LEAD_EVENT_BATCH_SUBJECT), JSON.stringify(batch));
        await nc.flush();
        return id;
      });
      // The first event naming the lead is its decision: the batch's `received` is not one.
      expect(liveLead(text, leadId)).toMatchObject({ leadId, state: 'unsold', ms: 12, reason: 'no_bids', price: 0 });
    } finally {
      await nc.close();
    }
  });

  describe('versions', () => {
    it('records each saved tree change with author and diff, and rolls back to an earlier version', async () => {
      const tree = await demoTree();
      const { id, ...config } = tree;
      // Move the waterfall's last channel to the sweeper tier.
      const moved = config.tiers[1].channelIds.at(-1);
      const edited = structuredClone(config);
      edited.tiers[1].channelIds = edited.tiers[1].channelIds.slice(0, -1);
      edited.tiers[2].channelIds = [moved, ...edited.tiers[2].channelIds];
      const saved = await admin('PUT', `/v1/admin/trees/${id}`, edited, { 'x-admin-user': 'ops-anna' });
      expect(saved.status).toBe(200);

      const versions = await admin('GET', `/v1/admin/trees/${id}/versions`);
      expect(versions.status).toBe(200);
      const [latest, first] = versions.body.items;
      expect(first).toMatchObject({ version: 1, author: 'system' });
      expect(latest).toMatchObject({ version: 2, author: 'ops-anna', config: edited });
      expect(latest.diff.map((d: any) => d.path).sort()).toEqual(['tiers.1.channelIds', 'tiers.2.channelIds']);
      expect(latest.diff.find((d: any) => d.path === 'tiers.2.channelIds').after[0]).toBe(moved);

      const rolled = await admin('POST', `/v1/admin/trees/${id}/versions/1/rollback`, undefined, { 'x-admin-user': 'ops-ben' });
      expect(rolled.status).toBe(200);
      expect(rolled.body).toMatchObject({
        rolledBackTo: 1,
        current: { version: 3, author: 'ops-ben', note: 'rollback to version 1' },
      });
      expect((await admin('GET', `/v1/admin/trees/${id}`)).body).toEqual(tree);
      expect((await admin('POST', `/v1/admin/trees/${id}/versions/9/rollback`)).status).toBe(404);
      expect((await admin('POST', `/v1/admin/trees/${id}/versions/x/rollback`)).status).toBe(400);
    });

    it('versions channels too: pausing is a version', async () => {
      const channels = (await admin('GET', '/v1/admin/channels')).body.items as any[];
      const { id, ...config } = channels.find((c) => c.name === 'sunform-solar main');
      expect((await admin('PUT', `/v1/admin/channels/${id}`, { ...config, enabled: false })).status).toBe(200);
      const versions = await admin('GET', `/v1/admin/channels/${id}/versions`);
      expect(versions.body.items[0]).toMatchObject({ author: 'admin', diff: [{ path: 'enabled', before: true, after: false }] });
      expect((await admin('PUT', `/v1/admin/channels/${id}`, { ...config, enabled: true })).status).toBe(200);
    });
  });

  it('serves the console at /console/ (or says it is not built)', async () => {
    const res = await request(`${stack.gatewayUrl}/console/`);
    const text = await res.body.text();
    if (res.statusCode === 200) expect(text).toContain('<div id="root">');
    else expect(text).toContain('not built');
    const traversal = await request(`${stack.gatewayUrl}/console/..%2f..%2fpackage.json`);
    expect(traversal.statusCode).toBe(404);
    await traversal.body.text();
  });
});
