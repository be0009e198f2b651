import fc from 'fast-check';
import { PING_OUTCOMES, POST_OUTCOMES } from '@pingtree/contracts';
import { ConfigStore } from '@pingtree/db';
import {
  BUYER_STYLES,
  checkProperty,
  describeAnswer,
  demoLead,
  fuzzSeed,
  hostileAnswer,
  postLead,
  startHostileBuyer,
  startTestStack,
  unreadyServices,
  waitForFinishedTrail,
  type HostileAnswer,
  type HostileBuyer,
  type TestStack,
} from '@pingtree/testing';
import { simChannelCalls } from '../../buyer-sim/src';

/** Leads per run and per batch (sent at once); every lead pings all seven channels. */
const LEADS = 70;
const BATCH = 7;

/** Generous bounds on a hang, not a speed test: other suites may share the two cores. */
const SETUP_TIMEOUT_MS = 60_000;
const FUZZ_TIMEOUT_MS = 300_000;

/** What each channel answers to one lead's ping and post. */
type LeadScript = Array<{ ping: HostileAnswer; post: HostileAnswer }>;

async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Buyers that answer anything (status 100-599, garbage bodies in every style, huge bodies, odd
 * encodings, broken framing, slow, never, half then nothing) through the real ping and post
 * services: every lead still gets its decision, every ping and post outcome in the trail is one the
 * contract knows, and ping and post stay up.
 */
describe('fuzzing buyer answers through ping and post', () => {
  let stack: TestStack;
  let buyer: HostileBuyer;
  let apiKey = '';
  /** Scripts by lead number; the lead's subId (sent in every ping and post) says which. */
  const scripts = new Map<number, LeadScript>();
  const leadIds: string[] = [];

  beforeAll(async () => {
    buyer = await startHostileBuyer((path, body) => {
      const lead = /fuzz-(\d+)/.exec(body)?.[1];
      const channel = /\/buyers\/c(\d+)\/(ping|post)/.exec(path);
      if (lead === undefined || !channel) return undefined;
      return scripts.get(Number(lead))?.[Number(channel[1])]?.[channel[2] as 'ping' | 'post'];
    });
    stack = await startTestStack();
    const store = new ConfigStore(stack.ds);
    apiKey = (await store.createSupplier('fuzz supplier')).apiKey;
    const channelIds: string[] = [];
    for (const [i, style] of BUYER_STYLES.entries()) {
      const buyerId = await store.createBuyer({ name: `c${i}`, displayName: style });
      const calls = simChannelCalls(buyer.url, `c${i}`, style);
      channelIds.push(
        await store.createChannel({
          name: `c${i} ${style}`,
          buyerId,
          ...calls,
          asyncPost: { secret: 'fuzz-callback-secret-0123456789' },
          // Roomy: buyers, services and the test share one process, and a late answer is only a timeout.
          pingTimeoutMs: 600,
          postTimeoutMs: 600,
          // Keep every channel pinged: here an open circuit would only hide answers from the fuzzing.
          circuit: { failureThreshold: 1000, cooldownMs: 1000 },
        }),
      );
    }
    const treeId = await store.createTree({ name: 'fuzz', tiers: [{ name: 'auction', logic: 'auction', channelIds }] });
    await store.createCampaign({
      key: 'demo-auto',
      name: 'fuzz',
      vertical: 'auto_insurance',
      treeId,
      tmaxMs: 2500,
      postReserveMs: 1200,
      dedupeWindowHours: 0,
    });
    await stack.reloadConfig();
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await stack?.close();
    await buyer?.close();
  });

  it(
    `decides ${LEADS} leads whose ${BUYER_STYLES.length} buyers answer anything`,
    async () => {
      const seed = fuzzSeed(20_250_803);
      const started = Date.now();
      const script: fc.Arbitrary<LeadScript> = fc.tuple(
        ...BUYER_STYLES.map((style) => fc.record({ ping: hostileAnswer(style), post: hostileAnswer(style) })),
      );
      let n = 0;
      await checkProperty(
        fc.asyncProperty(fc.array(script, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
          const bad: string[] = [];
          await Promise.all(
            batch.map(async (leadScript) => {
              const lead = ++n;
              scripts.set(lead, leadScript);
              const { status, body } = await postLead(stack, apiKey, demoLead({ subId: `fuzz-${lead}` }));
              // A buyer's garbage is that buyer's outcome: it must never fail a service for the whole lead.
              if (status !== 200 || typeof body.state !== 'string' || String(body.reason).startsWith('service_unavailable')) {
                const answers = leadScript.map(
                  (a, i) => `  c${i} ${BUYER_STYLES[i]}: ping ${describeAnswer(a.ping)}; post ${describeAnswer(a.post)}`,
                );
                bad.push(`lead fuzz-${lead}: ${status} ${JSON.stringify(body)}\n${answers.join('\n')}`);
              } else leadIds.push(body.leadId);
            }),
          );
          if (bad.length > 0) throw new Error(bad.join('\n'));
        }),
        { seed, numRuns: Math.ceil(LEADS / BATCH) },
      );
      process.stdout.write(
        `buyer answer fuzz (HTTP): ${leadIds.length} leads, ${buyer.answered} answers in ${Date.now() - started} ms\n`,
      );
      expect(leadIds).toHaveLength(LEADS);
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'records a known outcome for every ping and post in every trail',
    async () => {
      const unknown: string[] = [];
      let pings = 0;
      await forEachLimited(leadIds, 8, async (leadId) => {
        const trail = await waitForFinishedTrail(stack, leadId);
        for (const e of trail) {
          if (e.type === 'pinged') pings++;
          if (e.type === 'pinged' && !(PING_OUTCOMES as readonly string[]).includes(e.data.outcome))
            unknown.push(`${leadId} pinged ${e.data.outcome}`);
          if (e.type === 'posted' && !(POST_OUTCOMES as readonly string[]).includes(e.data.outcome))
            unknown.push(`${leadId} posted ${e.data.outcome}`);
        }
      });
      expect(unknown).toEqual([]);
      expect(pings).toBe(LEADS * BUYER_STYLES.length);
    },
    FUZZ_TIMEOUT_MS,
  );

  it('leaves ping, post and every other service ready', async () => {
    expect(await unreadyServices(stack)).toEqual([]);
  });
});
