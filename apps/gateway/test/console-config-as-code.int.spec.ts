import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { request } from 'undici';
import { parse, stringify } from 'yaml';
import { ADMIN_KEY, startTestStack, type TestStack } from '@pingtree/testing';
import { DEMO_BUYERS, startBuyerSim, type BuyerSim } from '../../buyer-sim/src';
import { seedDemo } from '../../../tools/demo/seed-demo';
import { runCli, type CliIo } from '../../../tools/cli/main';

/**
 * `npm run pingtree -- export / apply` against the real stack with the demo configuration: the
 * export round-trips, apply shows the diff first, refuses invalid files with the reason and
 * changes nothing then, and applies through the admin API so trees and channels get versions.
 */
describe('config as code (pingtree CLI)', () => {
  let stack: TestStack;
  let sim: BuyerSim;
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    sim = await startBuyerSim({ seed: 5, buyers: [...DEMO_BUYERS] });
    stack = await startTestStack();
    await seedDemo(stack.ds, sim.url);
    await stack.reloadConfig();
    dir = mkdtempSync(path.join(tmpdir(), 'pingtree-cli-'));
    env = { PINGTREE_URL: stack.gatewayUrl, PINGTREE_ADMIN_KEY: ADMIN_KEY, PINGTREE_ADMIN_USER: 'ops-yaml' };
  }, 60_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await stack?.close();
    await sim?.close();
  });

  async function cli(...args: string[]) {
    let out = '';
    let err = '';
    const io: CliIo = { out: (t) => (out += t), err: (t) => (err += t), confirm: async () => null };
    const code = await runCli(args, env, io);
    return { code, out, err };
  }

  async function admin(p: string): Promise<any> {
    const res = await request(`${stack.gatewayUrl}${p}`, { headers: { 'x-admin-key': ADMIN_KEY } });
    return res.body.json();
  }

  it('exports the configuration as YAML with credentials masked and ids named in comments', async () => {
    const file = path.join(dir, 'export.yaml');
    const { code, err } = await cli('export', '-o', file);
    expect(code).toBe(0);
    expect(err).toContain(file);
    const text = readFileSync(file, 'utf8');
    const doc = parse(text);
    expect(doc.buyers.map((b: any) => b.name)).toEqual(expect.arrayContaining(DEMO_BUYERS.map((b) => b.key)));
    expect(doc.trees.map((t: any) => t.name)).toEqual(['demo auto tree', 'demo choice tree']);
    expect(text).toMatch(/- [0-9a-f-]{36} # quota-auction main/);
    const secrets = doc.channels.flatMap((c: any) => [c.ping?.auth, c.post.auth, c.post.signature].filter(Boolean));
    for (const s of secrets) for (const k of ['password', 'token', 'value', 'secret']) if (k in s) expect(s[k]).toBe('********');
    // Applying the export unchanged changes nothing.
    const again = await cli('apply', '-f', file, '--yes');
    expect(again.code).toBe(0);
    expect(again.out).toContain('0 change(s)');
  });

  it('shows the diff, asks, and applies with --yes: a tree edit by channel name becomes a version by its author', async () => {
    const file = path.join(dir, 'edit.yaml');
    expect((await cli('export', '-o', file)).code).toBe(0);
    const doc = parse(readFileSync(file, 'utf8'));
    const tree = doc.trees.find((t: any) => t.name === 'demo auto tree');
    const acme = doc.channels.find((c: any) => c.name === 'acme-insurance main');
    // Move acme to the sweeper tier, by name, and add a buyer with a channel referring to it by name.
    tree.tiers[1].channelIds = tree.tiers[1].channelIds.filter((id: string) => id !== acme.id);
    tree.tiers[2].channelIds = ['acme-insurance main', ...tree.tiers[2].channelIds];
    doc.buyers.push({ name: 'yaml-buyer', displayName: 'YAML Buyer' });
    const { id: _id, ...copy } = doc.channels.find((c: any) => c.name === 'sunform-solar main');
    doc.channels.push({ ...copy, name: 'yaml channel', buyerId: 'yaml-buyer' });
    writeFileSync(file, stringify(doc));

    const asked = await cli('apply', '-f', file);
    expect(asked.code).toBe(1);
    expect(asked.err).toContain('re-run with --yes');
    expect(asked.out).toContain('+ create buyer "yaml-buyer"');
    expect(asked.out).toContain('+ create channel "yaml channel"');
    expect(asked.out).toMatch(/~ update tree "demo auto tree"[^\n]*\n\s+tiers\.1\.channelIds: /);
    expect((await admin('/v1/admin/buyers')).items.map((b: any) => b.name)).not.toContain('yaml-buyer');

    const applied = await cli('apply', '-f', file, '--yes');
    expect(applied.code).toBe(0);
    expect(applied.out).toContain('updated tree "demo auto tree"');
    const stored = await admin(`/v1/admin/trees/${tree.id}`);
    expect(stored.tiers[2].channelIds[0]).toBe(acme.id);
    const versions = await admin(`/v1/admin/trees/${tree.id}/versions`);
    expect(versions.items[0]).toMatchObject({ author: 'ops-yaml' });
    expect(versions.items[0].diff.map((d: any) => d.path)).toEqual(['tiers.1.channelIds', 'tiers.2.channelIds']);
    const channels = (await admin('/v1/admin/channels')).items;
    const created = channels.find((c: any) => c.name === 'yaml channel');
    const buyer = (await admin('/v1/admin/buyers')).items.find((b: any) => b.name === 'yaml-buyer');
    expect(created.buyerId).toBe(buyer.id);
  });

  it('refuses an invalid file with the reason and changes nothing', async () => {
    const file = path.join(dir, 'bad.yaml');
    expect((await cli('export', '-o', file)).code).toBe(0);
    const doc = parse(readFileSync(file, 'utf8'));
    const tree = doc.trees.find((t: any) => t.name === 'demo auto tree');
    tree.tiers[0].maxSales = 3;
    tree.tiers[1].channelIds = ['no such channel'];
    doc.buyers[0].displayName = 'Renamed, but the file is refused';
    writeFileSync(file, stringify(doc));
    const before = await admin('/v1/admin/buyers');
    const { code, err, out } = await cli('apply', '-f', file, '--yes');
    expect(code).toBe(2);
    expect(out).toBe('');
    expect(err).toContain('nothing was applied');
    expect(err).toContain('trees[0] "demo auto tree": tiers.0.maxSales: a auction tier is exclusive: maxSales must be 1');
    expect(err).toContain('trees[0] "demo auto tree": tiers.1.channelIds.0: no channel named "no such channel"');
    expect(await admin('/v1/admin/buyers')).toEqual(before);

    writeFileSync(file, 'trees: [');
    const broken = await cli('apply', '-f', file, '--yes');
    expect(broken.code).toBe(2);
    expect(broken.err).toContain('not valid YAML');
  });
});
