import type { FieldRule, LeafRule, PingLead } from '@pingtree/contracts';
import { readPath } from '@pingtree/buyer-protocol';

/** The leaf rule that excluded a lead, where it sits in the rule list, and why. */
export interface RuleFailure {
  /** Dot path of the failing rule, e.g. `filters.2.rules.0`. */
  path: string;
  /** The failing rule's `name`, or its op. */
  label: string;
  message: string;
}

const DAY_MS = 86_400_000;

/**
 * The first rule of the list the lead fails, or null when it passes them all. Rules see only the
 * ping lead; `path` names the list (`filters` for a channel, `campaign.filters`, `supplier.filters`).
 */
export function firstFailure(rules: readonly FieldRule[], lead: PingLead, path = 'filters'): RuleFailure | null {
  for (const [i, rule] of rules.entries()) {
    const failure = ruleFailure(rule, lead, `${path}.${i}`);
    if (failure) return failure;
  }
  return null;
}

function ruleFailure(rule: FieldRule, lead: PingLead, path: string): RuleFailure | null {
  const label = rule.name ?? rule.op;
  switch (rule.op) {
    case 'all':
      return firstFailure(rule.rules, lead, `${path}.rules`);
    case 'any': {
      const failures: RuleFailure[] = [];
      for (const [i, child] of rule.rules.entries()) {
        const failure = ruleFailure(child, lead, `${path}.rules.${i}`);
        if (!failure) return null;
        failures.push(failure);
      }
      return { path, label, message: `none of: ${failures.map((f) => f.message).join('; ')}` };
    }
    case 'not':
      return ruleFailure(rule.rule, lead, `${path}.rule`)
        ? null
        : { path, label, message: `must not match ${describe(rule.rule)}` };
    default: {
      const message = failedRule(rule, lead);
      return message === null ? null : { path, label, message };
    }
  }
}

/** Null when the lead passes the leaf rule, otherwise why it doesn't. */
export function failedRule(rule: LeafRule, lead: PingLead): string | null {
  if (rule.op === 'age') return ageFailure(rule, lead.age);
  const value = readPath(lead, rule.field);
  switch (rule.op) {
    case 'equals':
      return value === rule.value ? null : `${rule.field} must equal ${String(rule.value)}`;
    case 'not_equals':
      return value === rule.value ? `${rule.field} must not equal ${String(rule.value)}` : null;
    case 'in':
      return rule.values.some((v) => v === value) ? null : `${rule.field} must be one of ${rule.values.join(', ')}`;
    case 'not_in':
      return rule.values.some((v) => v === value) ? `${rule.field} must not be ${String(value)}` : null;
    case 'range': {
      if (typeof value !== 'number') return `${rule.field} must be a number`;
      if (rule.min !== undefined && value < rule.min) return `${rule.field} below ${rule.min}`;
      if (rule.max !== undefined && value > rule.max) return `${rule.field} above ${rule.max}`;
      return null;
    }
    case 'date_range':
      return dateRangeFailure(rule, value);
    case 'regex': {
      if (typeof value !== 'string' && typeof value !== 'number') return `${rule.field} is missing`;
      return compiled(rule).test(String(value)) ? null : `${rule.field} must match /${rule.pattern}/${rule.flags}`;
    }
    case 'exists':
      return value === undefined || value === null || value === '' ? `${rule.field} is missing` : null;
    case 'starts_with': {
      const text = typeof value === 'string' || typeof value === 'number' ? String(value) : null;
      return text !== null && rule.values.some((p) => text.startsWith(p))
        ? null
        : `${rule.field} must start with ${rule.values.join(', ')}`;
    }
    case 'allow_list': {
      if (typeof value !== 'string' || value === '') return `${rule.field} is missing (allow list)`;
      return listed(rule.values, value) ? null : `${rule.field} ${value} is not on the allow list`;
    }
    case 'deny_list':
      return typeof value === 'string' && listed(rule.values, value) ? `${rule.field} ${value} is on the deny list` : null;
  }
}

function ageFailure(rule: Extract<LeafRule, { op: 'age' }>, age: number | undefined): string | null {
  if (age === undefined) return 'age is unknown (no date of birth)';
  if (rule.min !== undefined && age < rule.min) return `age ${age} below ${rule.min}`;
  if (rule.max !== undefined && age > rule.max) return `age ${age} above ${rule.max}`;
  return null;
}

function dateRangeFailure(rule: Extract<LeafRule, { op: 'date_range' }>, value: unknown): string | null {
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(at)) return `${rule.field} must be a date`;
  if (rule.from !== undefined && at < Date.parse(rule.from)) return `${rule.field} before ${rule.from}`;
  // A bound given as a date includes that whole day.
  const to = rule.to === undefined ? undefined : Date.parse(rule.to) + (rule.to.length === 10 ? DAY_MS - 1 : 0);
  if (to !== undefined && at > to) return `${rule.field} after ${rule.to}`;
  return null;
}

function listed(values: readonly string[], value: string): boolean {
  const wanted = value.toLowerCase();
  return values.some((v) => v.toLowerCase() === wanted);
}

/** Rules come from an immutable catalog snapshot: compile each pattern once per snapshot. */
const patterns = new WeakMap<object, RegExp>();
function compiled(rule: Extract<LeafRule, { op: 'regex' }>): RegExp {
  let re = patterns.get(rule);
  if (!re) {
    re = new RegExp(rule.pattern, rule.flags);
    patterns.set(rule, re);
  }
  return re;
}

/** A short text of a rule for the trail, e.g. `state in [CA, NY]`. */
export function describe(rule: FieldRule): string {
  switch (rule.op) {
    case 'all':
    case 'any':
      return `${rule.op}(${rule.rules.map(describe).join(', ')})`;
    case 'not':
      return `not(${describe(rule.rule)})`;
    case 'age':
      return `age ${rule.min ?? ''}..${rule.max ?? ''}`;
    case 'range':
      return `${rule.field} ${rule.min ?? ''}..${rule.max ?? ''}`;
    case 'date_range':
      return `${rule.field} ${rule.from ?? ''}..${rule.to ?? ''}`;
    case 'equals':
    case 'not_equals':
      return `${rule.field} ${rule.op === 'equals' ? '=' : '!='} ${String(rule.value)}`;
    case 'regex':
      return `${rule.field} ~ /${rule.pattern}/${rule.flags}`;
    case 'exists':
      return `${rule.field} exists`;
    default:
      return `${rule.field} ${rule.op} [${rule.values.join(', ')}]`;
  }
}
