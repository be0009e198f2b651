/**
 * Which addresses the platform may call as a buyer (SSRF): no Node imports, so the same checks run
 * at save time (contracts, the admin API) and at connect time (the buyer HTTP client, on every
 * address a name resolves to).
 */

/** Cloud metadata services reached by name; their addresses are link-local or private anyway. */
const METADATA_HOSTS = new Set([
  'metadata.google.internal',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
]);

type Range = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'public';

/** Never a buyer, whatever the settings. */
const ALWAYS_FORBIDDEN: Partial<Record<Range, string>> = {
  'link-local': 'a link-local address (cloud metadata lives there)',
  unspecified: 'an unspecified address',
  multicast: 'a multicast or broadcast address',
};

/** Buyers on the operator's own networks: only with PINGTREE_ALLOW_PRIVATE_BUYER_URLS=true. */
const PRIVATE: Partial<Record<Range, string>> = {
  loopback: 'a loopback address',
  private: 'a private-network address',
};

function parseIPv4(text: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

/** Eight 16-bit groups, or null. Accepts `::` compression, a trailing dotted IPv4 and a zone id. */
function parseIPv6(text: string): number[] | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  s = s.split('%')[0]!.toLowerCase();
  if (!s.includes(':')) return null;
  const tail: number[] = [];
  const lastColon = s.lastIndexOf(':');
  const v4 = parseIPv4(s.slice(lastColon + 1));
  if (v4) {
    tail.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
    s = s.slice(0, lastColon + 1); // "::ffff:", "::" or "1:2:3:4:5:6:"
    if (!s.endsWith('::')) s = s.slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (![...head, ...rest].every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const zeros = new Array<number>(8 - known).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16)), ...tail];
}

function rangeOfIPv4([a, b]: number[]): Range {
  if (a === 127) return 'loopback';
  if (a === 0) return 'unspecified';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b! >= 64 && b! <= 127) return 'private'; // carrier-grade NAT, also some clouds' metadata
  if (a! >= 224) return 'multicast';
  return 'public';
}

function rangeOfIPv6(g: number[]): Range {
  const zeroPrefix = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroPrefix(5) && g[5] === 0xffff) return rangeOfIPv4([g[6]! >> 8, g[6]! & 0xff]); // ::ffff:a.b.c.d
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return rangeOfIPv4([g[6]! >> 8, g[6]! & 0xff]);
  if (zeroPrefix(7)) return g[7] === 1 ? 'loopback' : g[7] === 0 ? 'unspecified' : 'public';
  if ((g[0]! & 0xffc0) === 0xfe80) return 'link-local';
  if ((g[0]! & 0xfe00) === 0xfc00) return 'private'; // unique local, e.g. fd00:ec2::254
  if ((g[0]! & 0xff00) === 0xff00) return 'multicast';
  return 'public';
}

/** The range of a literal IPv4 or IPv6 address, or null when `text` is not one. */
function rangeOf(text: string): Range | null {
  const v4 = parseIPv4(text);
  if (v4) return rangeOfIPv4(v4);
  const v6 = parseIPv6(text);
  return v6 ? rangeOfIPv6(v6) : null;
}

function reasonFor(range: Range, allowPrivate: boolean): string | null {
  return ALWAYS_FORBIDDEN[range] ?? (allowPrivate ? null : (PRIVATE[range] ?? null));
}

/** Why the platform must not connect to this IP address, or null. */
export function forbiddenAddressReason(address: string, allowPrivate: boolean): string | null {
  const range = rangeOf(address);
  return range === null ? null : reasonFor(range, allowPrivate);
}

/**
 * Why a URL's host (`new URL(...).hostname`: a name or a literal address) must not be called,
 * judged without DNS; names are checked again, on each resolved address, when connecting.
 */
export function forbiddenHostReason(hostname: string, allowPrivate: boolean): string | null {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  if (METADATA_HOSTS.has(host)) return 'a cloud metadata service';
  if (host === 'localhost' || host.endsWith('.localhost')) return reasonFor('loopback', allowPrivate);
  return forbiddenAddressReason(host, allowPrivate);
}

/** True for `localhost` names and loopback addresses (127.0.0.0/8, ::1, ::ffff:127.x.x.x). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host.endsWith('.localhost') || rangeOf(host) === 'loopback';
}

/** True when `hostname` is a literal IP address (IPv6 with or without brackets). */
export function isAddressLiteral(hostname: string): boolean {
  return rangeOf(hostname) !== null;
}
