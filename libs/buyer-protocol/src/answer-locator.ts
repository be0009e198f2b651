import { MAX_ANSWER_CHARS, type AnswerRule } from '@pingtree/contracts';
import { readPath } from './dot-path';

/** A buyer's answer: the raw body (capped) and, when it parsed, the JSON or XML document. */
export interface AnswerDocument {
  raw: string;
  parsed: boolean;
  doc: unknown;
}

/** Compiled answer regexes; configs hold few distinct patterns, the cap only guards against churn. */
const compiled = new Map<string, RegExp | null>();
const MAX_COMPILED = 1000;

function compile(source: string, flags = ''): RegExp | null {
  const key = `${flags}/${source}`;
  let regex = compiled.get(key);
  if (regex === undefined) {
    try {
      regex = new RegExp(source, flags);
    } catch {
      // Refused at save time; a stored config from before that check reads nothing rather than throws.
      regex = null;
    }
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(key, regex);
  }
  return regex;
}

/** The regex's capture group in the first MAX_ANSWER_CHARS of the body, or undefined. */
export function capture(source: string, flags: string | undefined, raw: string): string | undefined {
  const match = compile(source, flags)?.exec(raw.length > MAX_ANSWER_CHARS ? raw.slice(0, MAX_ANSWER_CHARS) : raw);
  return match?.[1] ?? undefined;
}

/** Reads one value by dot path from the parsed document, or by regex from the raw body. */
export function locate(rule: Pick<AnswerRule, 'path' | 'regex' | 'flags'>, answer: AnswerDocument): unknown {
  if (rule.regex !== undefined) return capture(rule.regex, rule.flags, answer.raw);
  if (rule.path !== undefined && answer.parsed) return readPath(answer.doc, rule.path);
  return undefined;
}

/** How a rule is named in a reason when it finds nothing. */
export function describeRule(rule: Pick<AnswerRule, 'path' | 'regex'>, name: string): string {
  return rule.regex !== undefined ? `match for the ${name} regex` : (rule.path ?? name);
}
