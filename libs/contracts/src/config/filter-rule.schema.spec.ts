import { channelConfigSchema } from './channel.schema';
import { campaignConfigSchema } from './campaign.schema';
import { filterRulesSchema, MAX_RULES, regexProblem, scheduleSchema, type FieldRuleInput } from './filter-rule.schema';

function issues(
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } } },
  value: unknown,
) {
  const result = schema.safeParse(value);
  return (result.error?.issues ?? []).map((i) => `${i.path.map(String).join('.')}: ${i.message}`);
}

const nest = (depth: number): FieldRuleInput =>
  depth === 1 ? { op: 'exists', field: 'state' } : { op: 'not', rule: nest(depth - 1) };

/** The least a channel needs: post-only at a fixed price. */
const POST_ONLY_CHANNEL = {
  name: 'c',
  buyerId: '00000000-0000-4000-8000-000000000001',
  ping: null,
  fixedPrice: 5,
  post: { url: 'http://127.0.0.1:1/post', response: { accept: { path: 'ok', values: ['true'] } } },
};

describe('filterRulesSchema', () => {
  it('accepts every operator and combinator', () => {
    const rules: FieldRuleInput[] = [
      { op: 'equals', field: 'state', value: 'CA', name: 'California' },
      { op: 'not_equals', field: 'fields.insured', value: true },
      { op: 'in', field: 'state', values: ['CA', 'NV'] },
      { op: 'not_in', field: 'fields.vehicleYear', values: [1999] },
      { op: 'range', field: 'fields.loanAmount', min: 1000, max: 50_000 },
      { op: 'date_range', field: 'fields.moveDate', from: '2025-01-01', to: '2025-12-31T23:59:59Z' },
      { op: 'age', min: 18, max: 80 },
      { op: 'regex', field: 'zip', pattern: '^9[0-6]\\d{3}$' },
      { op: 'exists', field: 'city' },
      { op: 'starts_with', field: 'zip', values: ['941'] },
      { op: 'allow_list', field: 'source', values: ['google'] },
      { op: 'deny_list', field: 'subId', values: ['fraudy'] },
      {
        op: 'any',
        rules: [
          { op: 'all', rules: [{ op: 'exists', field: 'city' }] },
          { op: 'not', rule: { op: 'exists', field: 'subId' } },
        ],
      },
    ];
    const parsed = filterRulesSchema.parse(rules);
    expect(parsed).toHaveLength(rules.length);
    expect(parsed[7]).toMatchObject({ op: 'regex', flags: '' });
  });

  it.each<[string, unknown, string]>([
    ['unknown op', [{ op: 'contains', field: 'state', value: 'C' }], '0.op'],
    ['regex that does not compile', [{ op: 'regex', field: 'zip', pattern: '([0-9]' }], '0.pattern'],
    ['regex with nested quantifiers', [{ op: 'regex', field: 'zip', pattern: '(a+)+$' }], '0.pattern'],
    ['regex longer than 200', [{ op: 'regex', field: 'zip', pattern: 'a'.repeat(201) }], '0.pattern'],
    ['regex flag other than i', [{ op: 'regex', field: 'zip', pattern: 'a', flags: 'g' }], '0.flags'],
    ['bad date bound', [{ op: 'date_range', field: 'fields.d', from: '01/02/2025' }], '0.from'],
    ['age with a fraction', [{ op: 'age', min: 17.5 }], '0.min'],
    ['allow list on a non-source field', [{ op: 'allow_list', field: 'state', values: ['CA'] }], '0.field'],
    ['empty in list', [{ op: 'in', field: 'state', values: [] }], '0.values'],
    ['empty any', [{ op: 'any', rules: [] }], '0.rules'],
    [
      'bad rule deep inside',
      [{ op: 'all', rules: [{ op: 'not', rule: { op: 'regex', field: 'zip', pattern: '(' } }] }],
      '0.rules.0.rule.pattern',
    ],
    ['unknown key', [{ op: 'exists', field: 'state', value: 1 }], '0'],
  ])('refuses %s at %s', (_label, rules, path) => {
    expect(issues(filterRulesSchema, rules).some((i) => i.startsWith(`${path}:`))).toBe(true);
  });

  it('limits nesting depth', () => {
    expect(filterRulesSchema.safeParse([nest(4)]).success).toBe(true);
    expect(issues(filterRulesSchema, [nest(5)])).toEqual(['0: rules nest at most 4 deep']);
  });

  it('limits the number of rules, nested ones included', () => {
    const leaves = Array.from({ length: 60 }, () => ({ op: 'exists', field: 'state' }));
    expect(filterRulesSchema.safeParse([{ op: 'all', rules: leaves.slice(0, 50) }]).success).toBe(true);
    expect(
      issues(filterRulesSchema, [
        { op: 'all', rules: leaves },
        { op: 'all', rules: leaves },
      ]),
    ).toEqual([`: at most ${MAX_RULES} rules in all`]);
  });

  it('regexProblem explains what is wrong', () => {
    expect(regexProblem('^\\d{5}$')).toBeNull();
    expect(regexProblem('(\\d+)*')).toMatch(/exponential/);
    expect(regexProblem('[')).toMatch(/valid regular expression/);
  });

  it('names the field of a bad rule in a channel and a campaign', () => {
    const channel = {
      ...POST_ONLY_CHANNEL,
      filters: [{ op: 'regex', field: 'zip', pattern: '(x+)+' }],
    };
    expect(issues(channelConfigSchema, channel)).toEqual([
      'filters.0.pattern: must not repeat a group that itself repeats (e.g. (a+)+): it can take exponential time',
    ]);
    const campaign = {
      key: 'c',
      name: 'c',
      vertical: 'solar',
      treeId: '00000000-0000-4000-8000-000000000001',
      filters: [{ op: 'age' }, { op: 'range', field: 'age', min: 'x' }],
    };
    expect(issues(campaignConfigSchema, campaign).map((i) => i.split(':')[0])).toEqual(['filters.1.min']);
    expect(campaignConfigSchema.parse({ ...campaign, filters: undefined })).toMatchObject({ filters: [], buyerDedupeDays: 0 });
  });
});

describe('scheduleSchema', () => {
  it('accepts windows, overnight windows and days left out (closed)', () => {
    const s = scheduleSchema.parse({
      timezone: 'America/Chicago',
      weekly: { mon: [['09:00', '17:00']], fri: [['22:00', '02:00']], sat: [['00:00', '24:00']] },
    });
    expect(s.weekly.sun).toEqual([]);
    expect(s.weekly.fri).toEqual([['22:00', '02:00']]);
  });

  it("takes the channel's time zone unless the schedule names its own", () => {
    const channel = {
      ...POST_ONLY_CHANNEL,
      timezone: 'America/Chicago',
      schedule: { weekly: { mon: [['09:00', '17:00']] } },
    };
    expect(channelConfigSchema.parse(channel).schedule?.timezone).toBe('America/Chicago');
    const own = { ...channel, schedule: { ...channel.schedule, timezone: 'Europe/Berlin' } };
    expect(channelConfigSchema.parse(own).schedule?.timezone).toBe('Europe/Berlin');
    expect(channelConfigSchema.parse({ ...channel, schedule: undefined })).not.toHaveProperty('schedule');
  });

  it.each<[string, unknown, string]>([
    ['unknown time zone', { timezone: 'Mars/Olympus', weekly: {} }, 'timezone'],
    ['hour 25', { timezone: 'UTC', weekly: { mon: [['09:00', '25:00']] } }, 'weekly.mon.0.1'],
    ['no leading zero', { timezone: 'UTC', weekly: { mon: [['9:00', '17:00']] } }, 'weekly.mon.0.0'],
    ['empty window', { timezone: 'UTC', weekly: { tue: [['09:00', '09:00']] } }, 'weekly.tue.0.1'],
    ['start at 24:00', { timezone: 'UTC', weekly: { wed: [['24:00', '02:00']] } }, 'weekly.wed.0.0'],
    ['unknown day', { timezone: 'UTC', weekly: { funday: [] } }, 'weekly'],
    ['three times in a window', { timezone: 'UTC', weekly: { thu: [['09:00', '12:00', '17:00']] } }, 'weekly.thu.0'],
  ])('refuses %s at %s', (_label, value, path) => {
    expect(issues(scheduleSchema, value).some((i) => i.startsWith(`${path}:`))).toBe(true);
  });
});
