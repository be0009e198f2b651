import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { forbiddenAddressReason, forbiddenHostReason } from '@pingtree/contracts';
import { buildConnector } from 'undici';

const ALLOW_HINT = 'PINGTREE_ALLOW_PRIVATE_BUYER_URLS=true allows loopback and private networks';

export class ForbiddenBuyerAddressError extends Error {
  readonly code = 'PINGTREE_FORBIDDEN_ADDRESS';
}

function refusal(host: string, address: string | null, reason: string): ForbiddenBuyerAddressError {
  const where = address === null || address === host ? '' : ` (resolves to ${address})`;
  return new ForbiddenBuyerAddressError(`refused to connect to ${host}${where}: ${reason}; ${ALLOW_HINT}`);
}

/**
 * A DNS lookup that refuses names resolving to an address the platform must not call, checked on
 * the very addresses the socket will use: a name that passed at save time and resolves to
 * 169.254.169.254 or 127.0.0.1 later (DNS rebinding) is still refused.
 */
function checkedLookup(allowPrivate: boolean, lookup: LookupFunction): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, options, (error, address, family) => {
      if (error) return callback(error, address, family);
      const addresses: Array<string | LookupAddress> = Array.isArray(address) ? address : [address];
      for (const a of addresses) {
        const ip = typeof a === 'string' ? a : a.address;
        const reason = forbiddenAddressReason(ip, allowPrivate);
        if (reason) return callback(refusal(hostname, ip, reason), '', 0);
      }
      callback(null, address, family);
    });
  };
}

/** undici's connector with the address check: literal addresses up front, names on each address they resolve to. */
export function checkedConnector(options: { allowPrivate: boolean; lookup?: LookupFunction }): buildConnector.connector {
  const base = options.lookup ?? (dnsLookup as (h: string, o: LookupOptions, cb: Parameters<LookupFunction>[2]) => void);
  const connect = buildConnector({ lookup: checkedLookup(options.allowPrivate, base) } as buildConnector.BuildOptions);
  return (opts, callback) => {
    // Literal addresses never reach the lookup; metadata names and localhost are refused by name.
    const reason = forbiddenHostReason(opts.hostname, options.allowPrivate);
    if (reason) {
      callback(refusal(opts.hostname, null, reason), null);
      return;
    }
    connect(opts, callback);
  };
}
