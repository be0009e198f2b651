import { z } from 'zod';

/**
 * Filter rules as data, evaluated against the ping lead (never contact data) at campaign, supplier
 * and channel level. Leaves test one field; `all`, `any` and `not` combine rules, nested at most
 * MAX_RULE_DEPTH deep. Every rule may carry a `name` that the trail shows when it excludes a lead.
 */
export const MAX_RULE_DEPTH = 4;
/** Rules in one list, counting every nested rule. */
export const MAX_RULES = 100;
export const MAX_REGEX_LENGTH = 200;

const name = z.string().min(1).max(100).optional();
/** A dot path into the ping lead: `state`, `age`, `fields.vehicleYear`. */
const field = z.string().min(1).max(200);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const listValue = z.union([z.string(), z.number()]);
const isoDateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], {
  message: 'must be a date (YYYY-MM-DD) or an ISO 8601 date-time',
});

/**
 * Refuses patterns that don't compile and the nested quantifiers (`(a+)+`, `(\d*)*`) behind
 * catastrophic backtracking: a rule runs on every lead.
 */
export function regexProblem(pattern: string, flags = ''): string | null {
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    return `must be a valid regular expression: ${(error as Error).message}`;
  }
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/.test(pattern)) {
    return 'must not repeat a group that itself repeats (e.g. (a+)+): it can take exponential time';
  }
  return null;
}

const leafRules = [
  z.strictObject({ op: z.literal('equals'), name, field, value: scalar }),
  z.strictObject({ op: z.literal('not_equals'), name, field, value: scalar }),
  z.strictObject({ op: z.literal('in'), name, field, values: z.array(listValue).min(1).max(1000) }),
  z.strictObject({ op: z.literal('not_in'), name, field, values: z.array(listValue).min(1).max(1000) }),
  z.strictObject({ op: z.literal('range'), name, field, min: z.number().optional(), max: z.number().optional() }),
  /** Inclusive; a bound given as a date covers that whole day (UTC). */
  z.strictObject({ op: z.literal('date_range'), name, field, from: isoDateOrTime.optional(), to: isoDateOrTime.optional() }),
  /** The consumer's age in whole years on the day the lead arrived (the ping lead's `age`). */
  z.strictObject({
    op: z.literal('age'),
    name,
    min: z.number().int().min(0).max(150).optional(),
    max: z.number().int().min(0).max(150).optional(),
  }),
  z
    .strictObject({
      op: z.literal('regex'),
      name,
      field,
      pattern: z.string().min(1).max(MAX_REGEX_LENGTH),
      flags: z.enum(['', 'i']).default(''),
    })
    .superRefine((rule, ctx) => {
      const problem = regexProblem(rule.pattern, rule.flags);
      if (problem) ctx.addIssue({ code: 'custom', path: ['pattern'], message: problem });
    }),
  z.strictObject({ op: z.literal('exists'), name, field }),
  z.strictObject({ op: z.literal('starts_with'), name, field, values: z.array(z.string().min(1).max(100)).min(1).max(1000) }),
  /** Traffic source or sub-id lists, compared without regard to case. A lead without the field fails an allow list. */
  z.strictObject({
    op: z.literal('allow_list'),
    name,
    field: z.enum(['source', 'subId']),
    values: z.array(z.string().min(1).max(100)).min(1).max(10_000),
  }),
  z.strictObject({
    op: z.literal('deny_list'),
    name,
    field: z.enum(['source', 'subId']),
    values: z.array(z.string().min(1).max(100)).min(1).max(10_000),
  }),
] as const;

export type LeafRule = z.output<(typeof leafRules)[number]>;
export type FieldRule =
  | LeafRule
  | { op: 'all'; name?: string | undefined; rules: FieldRule[] }
  | { op: 'any'; name?: string | undefined; rules: FieldRule[] }
  | { op: 'not'; name?: string | undefined; rule: FieldRule };
export type FieldRuleInput =
  | z.input<(typeof leafRules)[number]>
  | { op: 'all' | 'any'; name?: string | undefined; rules: FieldRuleInput[] }
  | { op: 'not'; name?: string | undefined; rule: FieldRuleInput };

export const fieldRuleSchema: z.ZodType<FieldRule, FieldRuleInput> = z.lazy(() =>
  z.discriminatedUnion('op', [
    ...leafRules,
    z.strictObject({ op: z.literal('all'), name, rules: z.array(fieldRuleSchema).min(1).max(MAX_RULES) }),
    z.strictObject({ op: z.literal('any'), name, rules: z.array(fieldRuleSchema).min(1).max(MAX_RULES) }),
    z.strictObject({ op: z.literal('not'), name, rule: fieldRuleSchema }),
  ]),
);

/** Nesting depth (a leaf is 1) and the number of rules, nested ones included. */
export function ruleShape(rule: FieldRule): { depth: number; count: number } {
  const children = rule.op === 'all' || rule.op === 'any' ? rule.rules : rule.op === 'not' ? [rule.rule] : [];
  const shapes = children.map(ruleShape);
  return {
    depth: 1 + Math.max(0, ...shapes.map((s) => s.depth)),
    count: 1 + shapes.reduce((n, s) => n + s.count, 0),
  };
}

/** A list of rules that must all pass, bounded in depth and size. */
export const filterRulesSchema = z
  .array(fieldRuleSchema)
  .max(MAX_RULES)
  .superRefine((rules, ctx) => {
    let count = 0;
    rules.forEach((rule, i) => {
      const shape = ruleShape(rule);
      count += shape.count;
      if (shape.depth > MAX_RULE_DEPTH) {
        ctx.addIssue({ code: 'custom', path: [i], message: `rules nest at most ${MAX_RULE_DEPTH} deep` });
      }
    });
    if (count > MAX_RULES) ctx.addIssue({ code: 'custom', path: [], message: `at most ${MAX_RULES} rules in all` });
  });

/** Open hours are eligibility rules too; exported from here so the config barrel stays as it is. */
export * from './schedule.schema';
