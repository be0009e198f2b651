import { z } from 'zod';
import { isContactField, POST_ONLY_FIELDS } from '../lead/field-classes';
import { forbiddenHostReason } from './buyer-url';

export { forbiddenAddressReason, forbiddenHostReason, isAddressLiteral, isLoopbackHost } from './buyer-url';

/**
 * How to call a buyer (ping or post) and how to read its answer: configuration, not code.
 * Everything here is declarative (no templates, no code); the checks that can be made when the
 * channel is saved are made here, so a bad config is refused with the field named.
 */

// ---------------------------------------------------------------------------------------------
// Building blocks

/** Keys that would reach an object's prototype instead of its own fields. */
const UNSAFE_KEYS: readonly string[] = ['__proto__', 'prototype', 'constructor'];

/** `lead.zip`, `fields.vehicleYear`, `list.0.name`: used on both sides of a mapping and to read answers. */
const dotPath = z
  .string()
  .min(1)
  .max(200)
  .refine((p) => p.split('.').every((key) => key.length > 0 && !UNSAFE_KEYS.includes(key)), {
    message: 'must be a dot path such as lead.zip (no empty parts, no __proto__, prototype or constructor)',
  });

const headerName = z
  .string()
  .max(100)
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name');

/** No line breaks: a header value must not be able to start another header. */
const headerValue = z
  .string()
  .max(4000)
  .regex(/^[^\r\n\0]*$/, 'must not contain line breaks');

const scalar = z.union([z.string(), z.number(), z.boolean()], { error: 'must be a string, number or boolean' });

const XML_NAME = /^[A-Za-z_][\w-]*$/;

// ---------------------------------------------------------------------------------------------
// Request: auth and signature

/** How the buyer wants us to authenticate. Secrets live in the channel config, like the URL. */
export const buyerAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('basic'),
    username: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[^:\r\n]*$/, 'must not contain ":" or line breaks'),
    password: z.string().min(1).max(500),
  }),
  z.strictObject({ type: z.literal('bearer'), token: headerValue.min(1) }),
  z
    .strictObject({
      type: z.literal('api_key'),
      /** `header`: a request header called `name`; `field`: a body (or query) field at dot path `name`. */
      in: z.enum(['header', 'field']),
      name: z.string().min(1).max(200),
      value: headerValue.min(1),
    })
    .superRefine((auth, ctx) => {
      const valid = auth.in === 'header' ? headerName.safeParse(auth.name) : dotPath.safeParse(auth.name);
      if (!valid.success) ctx.addIssue({ code: 'custom', path: ['name'], message: valid.error.issues[0]!.message });
    }),
]);

/**
 * HMAC-SHA256 request signing. The signature header carries the lower-case hex HMAC of exactly
 * `${timestamp}.${payload}` with `secret`, where `timestamp` is the value sent in `timestampHeader`
 * (Unix time in whole seconds, decimal) and `payload` is the request body as sent, or, for a request
 * without a body (format `query`, method GET), its query string as sent, without the leading `?`.
 */
export const requestSignatureSchema = z.strictObject({
  header: headerName.default('X-Signature'),
  secret: z
    .string({ error: (issue) => (issue.input === undefined ? 'required: the secret shared with the buyer' : undefined) })
    .max(500)
    .refine((s) => s.trim().length > 0, { message: 'required: the secret shared with the buyer' }),
  timestampHeader: headerName.default('X-Timestamp'),
});

// ---------------------------------------------------------------------------------------------
// Request: field mapping and transforms

const DATE_TOKENS = /^(?:YYYY|YY|MM|DD|HH|mm|ss|[-/.:, T])+$/;

/** A value's shape changed on the way out. A value a transform can't read is left out of the request. */
export const fieldTransformSchema = z.discriminatedUnion('type', [
  /** From an ISO date (`2024-05-01`) or date-time (read in UTC). `epoch` is Unix seconds, `epoch_ms` milliseconds. */
  z.strictObject({
    type: z.literal('date'),
    format: z
      .string()
      .max(40)
      .refine((f) => f === 'epoch' || f === 'epoch_ms' || DATE_TOKENS.test(f), {
        message: 'must be epoch, epoch_ms, or tokens YYYY YY MM DD HH mm ss joined by - / . : , space or T',
      }),
  }),
  /** A US number: e164 +15555555555, digits10 5555555555, dashed 555-555-5555, parens (555) 555-5555. */
  z.strictObject({ type: z.literal('phone'), format: z.enum(['e164', 'digits10', 'dashed', 'parens']) }),
  /** Yes/no as the buyer spells it, e.g. `{ true: 'Y', false: 'N' }` or `{ true: 1, false: 0 }`. */
  z.strictObject({ type: z.literal('boolean'), true: scalar, false: scalar }),
  /** Our value → the buyer's value; `default` for values not in the map (left out without one). */
  z.strictObject({
    type: z.literal('enum'),
    map: z
      .record(z.string().max(200), scalar)
      .refine((m) => Object.keys(m).length > 0, { message: 'must map at least one value' }),
    default: scalar.optional(),
  }),
  z.strictObject({ type: z.literal('upper') }),
  z.strictObject({ type: z.literal('lower') }),
  /** Joins the values read by a list of `from` paths; missing or empty ones are skipped. */
  z.strictObject({ type: z.literal('concat'), separator: z.string().max(20).default(' ') }),
]);

/**
 * One field of the outgoing request: `{ to, from }` renames, `{ to, value }` is a constant,
 * `{ to, from, transform }` reshapes. `concat` takes `from` as a list of paths.
 */
export const fieldMappingSchema = z
  .strictObject({
    /** Dot path in the outgoing body, e.g. `lead.zip_code`. */
    to: dotPath,
    /** Dot path in the canonical payload (ping lead or full lead); a list of paths for `concat`. */
    from: z.union([dotPath, z.array(dotPath).min(2).max(10)]).optional(),
    /** A constant; wins over `from`. */
    value: scalar.optional(),
    transform: fieldTransformSchema.optional(),
  })
  .superRefine((field, ctx) => {
    const concat = field.transform?.type === 'concat';
    if (Array.isArray(field.from) && !concat) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'a list of paths needs transform concat' });
    }
    if (concat && !Array.isArray(field.from)) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'concat needs a list of 2 or more paths' });
    }
    if (field.transform && field.value !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['transform'], message: 'a constant takes no transform' });
    } else if (field.transform && field.from === undefined) {
      ctx.addIssue({ code: 'custom', path: ['from'], message: 'a transform needs from' });
    }
  });

// ---------------------------------------------------------------------------------------------
// Answer: where each value is, by dot path or by regex

/** Longest regex accepted: answer regexes pick one value out of a short body, they need not be long. */
export const MAX_ANSWER_REGEX_CHARS = 200;
/** Regexes run on at most this much of an answer (the HTTP client reads no more either). */
export const MAX_ANSWER_CHARS = 64 * 1024;

/**
 * Why an answer regex can't be used, or null. It must compile, have exactly one capture group (its
 * value is what's read) and no quantified group that itself repeats, like `(a+)+`, which can take
 * exponential time on a hostile body. Length limits keep the rest in check.
 */
export function answerRegexProblem(source: string, flags = ''): string | null {
  let regex: RegExp;
  try {
    regex = new RegExp(source, flags);
  } catch (error) {
    return `does not compile: ${(error as Error).message}`;
  }
  // An alternative that matches the empty string shows every group: its length is 1 + the group count.
  const groups = new RegExp(`(?:${regex.source})|`, flags).exec('')!.length - 1;
  if (groups !== 1) return `needs exactly one capture group (found ${groups}); use (?:...) for the others`;
  if (hasNestedQuantifier(source)) return 'a repeated group that itself repeats, like (a+)+, can take exponential time';
  return null;
}

/** `*`, `+` or `{n,}` at `i`: a repeat without an upper bound. */
function unboundedRepeatAt(source: string, i: number): boolean {
  const c = source[i];
  return c === '*' || c === '+' || (c === '{' && /^\{\d+,\}/.test(source.slice(i, i + 12)));
}

function hasNestedQuantifier(source: string): boolean {
  const repeatsInside: boolean[] = [];
  let inClass = false;
  const markRepeat = () => {
    if (repeatsInside.length > 0) repeatsInside[repeatsInside.length - 1] = true;
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') repeatsInside.push(false);
    else if (c === ')') {
      const repeats = repeatsInside.pop() ?? false;
      const repeated = unboundedRepeatAt(source, i + 1);
      if (repeats && repeated) return true;
      if (repeats || repeated) markRepeat();
    } else if (unboundedRepeatAt(source, i)) markRepeat();
  }
  return false;
}

const regexFields = {
  /** Applied to the raw body, for HTML or plain-text answers; the one capture group is the value. */
  regex: z.string().min(1).max(MAX_ANSWER_REGEX_CHARS).optional(),
  /** Any of i (ignore case), m (multi-line), s (dot matches newlines). */
  flags: z
    .string()
    .regex(/^[ims]{1,3}$/, 'must be made of i, m and s')
    .optional(),
};

type Located = { path?: string; paths?: string[]; regex?: string; flags?: string };

/** Exactly one of `path` (or `paths`) and `regex`; a regex that can be used. */
function checkLocator(pathKey: 'path' | 'paths') {
  return (rule: Located, ctx: z.RefinementCtx) => {
    const hasPath = rule[pathKey] !== undefined;
    if (hasPath === (rule.regex !== undefined)) {
      ctx.addIssue({ code: 'custom', path: [pathKey], message: `give either ${pathKey} or regex` });
    }
    if (rule.regex !== undefined) {
      const problem = answerRegexProblem(rule.regex, rule.flags);
      if (problem) ctx.addIssue({ code: 'custom', path: ['regex'], message: problem });
    } else if (rule.flags !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['flags'], message: 'flags go with regex' });
    }
  };
}

const valueLocator = z.strictObject({ path: dotPath.optional(), ...regexFields }).superRefine(checkLocator('path'));

export const acceptRuleSchema = z
  .strictObject({
    path: dotPath.optional(),
    ...regexFields,
    /** Answer values (compared as lower-case strings) that mean accept, e.g. ["true", "1", "accepted", "bid"]. */
    values: z.array(z.string().max(200)).min(1),
  })
  .superRefine(checkLocator('path'));

export const responseRulesSchema = z
  .strictObject({
    /** How to parse the body for `path` rules; `text` has no paths, only regexes. */
    format: z.enum(['json', 'xml', 'text']).default('json'),
    accept: acceptRuleSchema,
    /**
     * Posts only: answer values that mean "received, the decision comes later" (verdict `pending`;
     * the buyer confirms through a callback). Checked before `accept`.
     */
    pending: acceptRuleSchema.optional(),
    /** A number, a string like "50.00" or "$50", in dollars or cents. */
    price: z
      .strictObject({ path: dotPath.optional(), ...regexFields, unit: z.enum(['dollars', 'cents']).default('dollars') })
      .superRefine(checkLocator('path'))
      .optional(),
    buyerRef: valueLocator.optional(),
    /** The first of `paths` with a value, or the regex's capture. */
    reason: z
      .strictObject({ paths: z.array(dotPath).min(1).optional(), ...regexFields })
      .superRefine(checkLocator('paths'))
      .optional(),
    redirectUrl: valueLocator.optional(),
    expiresInSeconds: valueLocator.optional(),
    /** HTTP status → meaning, for buyers that signal through status codes (e.g. 202 = quota reached). */
    statusMap: z.record(z.string().regex(/^\d{3}$/), z.enum(['reject', 'error'])).default({}),
  })
  .superRefine((rules, ctx) => {
    if (rules.format !== 'text') return;
    const located: [string, Located | undefined][] = [
      ['accept', rules.accept],
      ['pending', rules.pending],
      ['price', rules.price],
      ['buyerRef', rules.buyerRef],
      ['reason', rules.reason],
      ['redirectUrl', rules.redirectUrl],
      ['expiresInSeconds', rules.expiresInSeconds],
    ];
    for (const [name, rule] of located) {
      if (rule && rule.regex === undefined) {
        ctx.addIssue({ code: 'custom', path: [name, 'regex'], message: 'a text answer has no paths: use regex' });
      }
    }
  });

// ---------------------------------------------------------------------------------------------
// The call

export const buyerCallSchema = z
  .strictObject({
    /** Never a link-local (metadata), unspecified or multicast address; private ranges are checked by the services. */
    url: z.url({ protocol: /^https?$/ }).superRefine((url, ctx) => {
      if (!URL.canParse(url)) return; // the format check has said so already
      const reason = forbiddenHostReason(new URL(url).hostname, true);
      if (reason) ctx.addIssue({ code: 'custom', message: `must not point at ${reason}` });
    }),
    method: z.enum(['POST', 'PUT', 'GET']).default('POST'),
    /** Body format; `query` puts the fields in the query string (with any method), as GET always does. */
    format: z.enum(['json', 'form', 'xml', 'query']).default('json'),
    /** Root element name for XML bodies. */
    xmlRoot: z
      .string()
      .regex(/^[A-Za-z_][\w.-]*$/)
      .default('lead'),
    headers: z
      .record(z.string(), headerValue)
      .superRefine((headers, ctx) => {
        for (const name of Object.keys(headers)) {
          if (!headerName.safeParse(name).success)
            ctx.addIssue({ code: 'custom', path: [name], message: 'must be an HTTP header name' });
        }
      })
      .default({}),
    auth: buyerAuthSchema.optional(),
    signature: requestSignatureSchema.optional(),
    /** Empty: send the canonical payload as it is. */
    mapping: z.array(fieldMappingSchema).default([]),
    /** Name of the body field that carries the ping's buyer reference in the post. */
    buyerRefField: z.string().min(1).default('buyer_ref'),
    response: responseRulesSchema,
  })
  .superRefine((call, ctx) => {
    if (call.format === 'xml' && call.method !== 'GET') {
      call.mapping.forEach((field, i) => {
        if (!field.to.split('.').every((key) => XML_NAME.test(key))) {
          ctx.addIssue({ code: 'custom', path: ['mapping', i, 'to'], message: 'each part must be an XML element name' });
        }
      });
    }
    if (call.signature && call.signature.header.toLowerCase() === call.signature.timestampHeader.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['signature', 'timestampHeader'], message: 'must differ from header' });
    }
  });

// ---------------------------------------------------------------------------------------------
// Data minimisation: what a ping may read

/** Contact data and consent evidence: the post carries them to the buyer who bought, a ping never does. */
export function isPostOnlyPath(path: string): boolean {
  return (
    isContactField(path) ||
    (POST_ONLY_FIELDS as readonly string[]).includes(path) ||
    path === 'consent' ||
    (path.startsWith('consent.') && path !== 'consent.given')
  );
}

/**
 * A ping call: the mapping may not read contact data or consent evidence, and the answer is a bid
 * or not (no `pending`). The ping payload itself is built from the ping lead only; this keeps a
 * mapping from ever asking for more.
 */
export const pingCallSchema = buyerCallSchema.superRefine((call, ctx) => {
  call.mapping.forEach((field, i) => {
    const paths = field.from === undefined ? [] : Array.isArray(field.from) ? field.from : [field.from];
    paths.forEach((path, j) => {
      if (!isPostOnlyPath(path)) return;
      ctx.addIssue({
        code: 'custom',
        path: Array.isArray(field.from) ? ['mapping', i, 'from', j] : ['mapping', i, 'from'],
        message: `${path} is contact data or consent evidence: only the post may carry it, never a ping`,
      });
    });
  });
  if (call.response.pending) {
    ctx.addIssue({
      code: 'custom',
      path: ['response', 'pending'],
      message: 'a ping answer is a bid or not; pending is for posts',
    });
  }
});

/** True when the post sends the ping's buyer reference: no mapping sends it as is, a mapping must read it. */
export function postCarriesBuyerRef(post: BuyerCall): boolean {
  const reads = (from: FieldMapping['from']) =>
    Array.isArray(from) ? from.includes(post.buyerRefField) : from === post.buyerRefField;
  return post.mapping.length === 0 || post.mapping.some((field) => field.value === undefined && reads(field.from));
}

export type FieldTransform = z.infer<typeof fieldTransformSchema>;
export type FieldMapping = z.infer<typeof fieldMappingSchema>;
export type BuyerAuth = z.infer<typeof buyerAuthSchema>;
export type RequestSignature = z.infer<typeof requestSignatureSchema>;
export type AnswerRule = z.infer<typeof valueLocator>;
export type AcceptRule = z.infer<typeof acceptRuleSchema>;
export type ResponseRules = z.infer<typeof responseRulesSchema>;
export type BuyerCall = z.infer<typeof buyerCallSchema>;
