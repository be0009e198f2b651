import { makePlan, renderPlan } from './apply-plan';
import { parseDocument, type ConfigDocument } from './config-document';

const BUYER = '11111111-1111-4111-8111-111111111111';
const CH_A = '22222222-2222-4222-8222-222222222222';
const CH_B = '33333333-3333-4333-8333-333333333333';
const TREE = '44444444-4444-4444-8444-444444444444';

function channel(id: string, name: string) {
  return {
    id,
    name,
    buyerId: BUYER,
    ping: {
      url: `http://127.0.0.1:1/${name}/ping`,
      response: { accept: { path: 'ok', values: ['true'] }, price: { path: 'price' } },
    },
    post: {
      url: `http://127.0.0.1:1/${name}/post`,
      auth: { type: 'bearer', token: '********' },
      response: { accept: { path: 'ok', values: ['true'] } },
    },
  };
}

function server(): ConfigDocument {
  return {
    buyers: [{ id: BUYER, name: 'acme', displayName: 'Acme', enabled: true }],
    channels: [channel(CH_A, 'a'), channel(CH_B, 'b')],
    trees: [
      {
        id: TREE,
        name: 'main',
        tiers: [
          { name: 'first', logic: 'auction', channelIds: [CH_A, CH_B] },
          { name: 'second', logic: 'waterfall', channelIds: [CH_A] },
        ],
      },
    ],
    campaigns: [],
  };
}

describe('config as code: plan', () => {
  it('finds nothing to do when the file is the export', () => {
    const result = makePlan(server(), server());
    if (!('plan' in result)) throw new Error(result.problems.join('\n'));
    expect(result.plan.changes).toEqual([]);
    expect(result.plan.unchanged).toBe(4);
  });

  it('diffs an update by path and resolves names to ids, including records the file creates', () => {
    const file = server();
    (file.trees[0]!['tiers'] as any[])[0].channelIds = ['a'];
    (file.trees[0]!['tiers'] as any[])[1].channelIds = ['a', 'b'];
    file.buyers.push({ name: 'newco', displayName: 'NewCo' });
    file.channels.push({ ...channel('', 'c'), id: undefined, buyerId: 'newco' });
    file.campaigns.push({ key: 'spring', name: 'Spring', vertical: 'auto_insurance', treeId: 'main' });
    const result = makePlan(file, server());
    if (!('plan' in result)) throw new Error(result.problems.join('\n'));
    const { changes } = result.plan;
    expect(changes.map((c) => `${c.action} ${c.section} ${c.name}`)).toEqual([
      'create buyers newco',
      'create channels c',
      'update trees main',
      'create campaigns spring',
    ]);
    expect(changes[2]!.diff).toEqual([
      { path: 'tiers.0.channelIds', before: [CH_A, CH_B], after: [CH_A] },
      { path: 'tiers.1.channelIds', before: [CH_A], after: [CH_A, CH_B] },
    ]);
    expect(changes[1]!.body['buyerId']).toBe(changes[0]!.id);
    expect(changes[3]!.body['treeId']).toBe(TREE);
    expect(renderPlan(result.plan)).toContain('tiers.0.channelIds: ["22222222');
  });

  it('refuses an invalid file with every reason, naming the record and the field', () => {
    const file = server();
    (file.trees[0]!['tiers'] as any[])[0].logic = 'lottery';
    (file.trees[0]!['tiers'] as any[])[1].channelIds = ['nope'];
    file.channels[0]!['pingTimeoutMs'] = 5;
    file.buyers.push({ id: '55555555-5555-4555-8555-555555555555', name: 'ghost', displayName: 'Ghost' });
    const result = makePlan(file, server());
    if (!('problems' in result)) throw new Error('expected problems');
    expect(result.problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('buyers[1] "ghost": no buyer 55555555'),
        expect.stringMatching(/^channels\[0\] "a": pingTimeoutMs: /),
        expect.stringMatching(/^trees\[0\] "main": tiers\.0\.logic: /),
        'trees[0] "main": tiers.1.channelIds.0: no channel named "nope"',
      ]),
    );
  });

  it('never prints a credential from the file, only that one was given', () => {
    const file = server();
    (file.channels[0]!['post'] as any).auth.token = 'real-secret-token';
    const result = makePlan(file, server());
    if (!('plan' in result)) throw new Error(result.problems.join('\n'));
    const text = renderPlan(result.plan);
    expect(text).not.toContain('real-secret-token');
    expect(text).toContain('(credentials)');
  });

  it('refuses YAML that does not parse or has unknown sections', () => {
    expect(parseDocument('buyers: [')).toEqual({ problems: [expect.stringContaining('not valid YAML')] });
    expect(parseDocument('routes: []')).toEqual({ problems: [expect.stringContaining('routes')] });
    expect(parseDocument('buyers:\n  - id: 12\n')).toEqual({ problems: [expect.stringContaining('buyers.0.id')] });
  });
});
