import type { FieldTransform } from '@pingtree/contracts';

/**
 * Reshapes one mapped value the way the buyer wants it. `undefined` means "can't": the field is
 * then left out of the request, as a missing `from` path is, rather than sent half-converted.
 * `concat` gets the values of all its `from` paths as an array.
 */
export function applyTransform(transform: FieldTransform, value: unknown): unknown {
  switch (transform.type) {
    case 'date':
      return formatDate(toDate(value), transform.format);
    case 'phone':
      return formatPhone(value, transform.format);
    case 'boolean': {
      const flag = toBoolean(value);
      return flag === undefined ? undefined : flag ? transform.true : transform.false;
    }
    case 'enum': {
      if (!isScalar(value)) return undefined;
      const key = String(value);
      return Object.hasOwn(transform.map, key) ? transform.map[key] : transform.default;
    }
    case 'upper':
      return typeof value === 'string' ? value.toUpperCase() : value;
    case 'lower':
      return typeof value === 'string' ? value.toLowerCase() : value;
    case 'concat': {
      const parts = (Array.isArray(value) ? value : [value])
        .filter(isScalar)
        .map(String)
        .filter((part) => part !== '');
      return parts.length > 0 ? parts.join(transform.separator) : undefined;
    }
  }
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** An ISO date (a calendar day, no time zone) or an ISO date-time; anything else is not read. */
function toDate(value: unknown): Date | undefined {
  if (typeof value !== 'string') return undefined;
  const day = DATE_ONLY.exec(value);
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const date = new Date(Date.UTC(y, m - 1, d));
    // Date.UTC rolls 2024-02-30 over to March: such a date is not a date.
    return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d ? date : undefined;
  }
  if (!DATE_TIME.test(value)) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Formats in UTC: `epoch` (seconds), `epoch_ms`, or tokens YYYY YY MM DD HH mm ss. */
function formatDate(date: Date | undefined, format: string): string | number | undefined {
  if (!date) return undefined;
  if (format === 'epoch') return Math.floor(date.getTime() / 1000);
  if (format === 'epoch_ms') return date.getTime();
  const tokens: Record<string, string> = {
    YYYY: pad(date.getUTCFullYear(), 4),
    YY: pad(date.getUTCFullYear() % 100),
    MM: pad(date.getUTCMonth() + 1),
    DD: pad(date.getUTCDate()),
    HH: pad(date.getUTCHours()),
    mm: pad(date.getUTCMinutes()),
    ss: pad(date.getUTCSeconds()),
  };
  return format.replace(/YYYY|YY|MM|DD|HH|mm|ss/g, (token) => tokens[token]!);
}

/** A US number in any spelling (E.164 as stored, or 10 digits with punctuation); anything else is not read. */
function formatPhone(value: unknown, format: Extract<FieldTransform, { type: 'phone' }>['format']): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  let digits = String(value).replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('1')) digits = digits.slice(1);
  if (digits.length !== 10) return undefined;
  const [area, exchange, line] = [digits.slice(0, 3), digits.slice(3, 6), digits.slice(6)];
  switch (format) {
    case 'e164':
      return `+1${digits}`;
    case 'digits10':
      return digits;
    case 'dashed':
      return `${area}-${exchange}-${line}`;
    case 'parens':
      return `(${area}) ${exchange}-${line}`;
  }
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const word = String(value).trim().toLowerCase();
  return TRUE_WORDS.has(word) ? true : FALSE_WORDS.has(word) ? false : undefined;
}
