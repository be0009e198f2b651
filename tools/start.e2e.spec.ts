import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { request } from 'undici';
import { createTestDatabase, testNatsUrl, uniqueNamespace, type TestDatabase } from '@pingtree/testing';

const ROOT = path.resolve(__dirname, '..');
const START = path.join(ROOT, 'dist', 'tools', 'start.js');

/**
 * What a new user does: `npm start`, then the README's curl. Runs the built launcher, so every
 * service is its own process, exactly as documented. `npm test` builds before running Jest.
 */
describe('npm start (the built platform, one process per service)', () => {
  let launcher: ChildProcess;
  let db: TestDatabase;
  let output = '';
  const basePort = 20_000 + Math.floor(Math.random() * 20_000);
  const gateway = `http://127.0.0.1:${basePort}`;

  beforeAll(async () => {
    if (!existsSync(START)) throw new Error('dist is missing: run `npm run build` (npm test does it first)');
    db = await createTestDatabase();
    launcher = spawn(process.execPath, ['-r', path.join(ROOT, 'dist', 'tools', 'runtime-aliases.js'), START], {
      cwd: ROOT,
      env: {
        ...process.env,
        NATS_URL: testNatsUrl(),
        DATABASE_URL: db.url,
        PINGTREE_NAMESPACE: uniqueNamespace('e2e'),
        HTTP_PORT: String(basePort),
        BUYER_SIM_PORT: String(basePort + 50),
        LOG_LEVEL: 'debug',
        DATABASE_POOL_SIZE: '4',
        // As a new user runs it: the launcher generates (or reuses) its development key and allows loopback buyers.
        PINGTREE_ENCRYPTION_KEYS: undefined,
        PINGTREE_ALLOW_PRIVATE_BUYER_URLS: undefined,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    launcher.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    launcher.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const until = Date.now() + 150_000;
    while (!output.includes('pingtree is up')) {
      if (launcher.exitCode !== null || Date.now() > until) throw new Error(`npm start did not come up:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }, 180_000);

  afterAll(async () => {
    if (launcher && launcher.exitCode === null) {
      launcher.kill('SIGTERM');
      await new Promise((r) => launcher.once('exit', r));
    }
    await db?.drop();
  }, 30_000);

  const postDemoLead = () =>
    request(`${gateway}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'demo-supplier-key-0001' },
      body: readFileSync(path.join(ROOT, 'docs', 'demo-lead.json')),
    });

  it("sells the README's demo lead and shows its trail with timings", async () => {
    // As a partner would: a 429 (the gateway sheds while a loaded machine makes its loop lag) is retried after Retry-After.
    let res = await postDemoLead();
    for (let retry = 0; res.statusCode === 429 && retry < 5; retry++) {
      await res.body.dump();
      await new Promise((r) => setTimeout(r, Number(res.headers['retry-after'] ?? 1) * 1000));
      res = await postDemoLead();
    }
    expect(res.statusCode).toBe(200);
    const decision = (await res.body.json()) as any;
    expect(['sold', 'unsold']).toContain(decision.state); // demo buyers reject some pings by design
    expect(decision.leadId).toBeDefined();

    // Each service publishes its own events, so wait for the finish and then for stragglers.
    let trail: any[] = [];
    let previous = -1;
    for (let i = 0; i < 60; i++) {
      await new Promise((r) => setTimeout(r, 150));
      const got = await request(`${gateway}/v1/leads/${decision.leadId}`, {
        headers: { 'x-admin-key': 'dev-admin-key-change-me' },
      });
      const body = (await got.body.json()) as any;
      trail = Array.isArray(body.trail) ? body.trail : [];
      // Each step's events arrive in their own message: wait for the pings too, then for stragglers.
      const settled = trail.some((e) => e.type === 'finished') && trail.some((e) => e.type === 'pinged');
      if (settled && trail.length === previous) break;
      previous = settled ? trail.length : -1;
    }
    // Listing the decision and the types makes a failure say what happened and what the trail held.
    expect({ decision, types: trail.map((e) => e.type) }).toEqual({
      decision,
      types: expect.arrayContaining(['received', 'pinged', 'finished']),
    });
    const pings = trail.filter((e) => e.type === 'pinged');
    for (const p of pings) expect(typeof p.data.ms).toBe('number');
    expect(trail.some((e) => e.type === 'finished')).toBe(true);
  });

  it("never writes the lead's contact data to any service's logs", async () => {
    const lead = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'demo-lead.json'), 'utf8')) as {
      contact: Record<string, string>;
    };
    // Another lead through the choice campaign, so offers and picks are logged too.
    const offered = await request(`${gateway}/v1/leads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'demo-supplier-key-0001' },
      body: JSON.stringify({
        ...lead,
        campaign: 'demo-choice',
        contact: { ...lead.contact, phone: '(415) 555-0199', email: 'grace@example.com' },
      }),
    });
    await offered.body.json();
    await new Promise((r) => setTimeout(r, 500));
    // buyer-sim plays the buyers, who may see a post; only the platform's own logs count here.
    const platformLogs = output
      .split('\n')
      .filter((line) => !line.startsWith('[buyer-sim]'))
      .join('\n');
    expect(platformLogs.length).toBeGreaterThan(0);
    const secrets = [
      lead.contact['firstName']!,
      lead.contact['lastName']!,
      lead.contact['email']!.toLowerCase(),
      lead.contact['address']!,
      lead.contact['dateOfBirth']!,
      '4155550134',
      '415-555-0134',
      '(415) 555-0134',
      'grace@example.com',
      '4155550199',
    ];
    for (const secret of secrets) expect(platformLogs.toLowerCase()).not.toContain(secret.toLowerCase());
  });

  it('stops every process on SIGTERM', async () => {
    launcher.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => launcher.once('exit', (c) => r(c)));
    expect(code).toBe(0);
  }, 30_000);
});
