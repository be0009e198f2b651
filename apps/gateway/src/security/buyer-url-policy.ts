import { networkInterfaces } from 'node:os';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { forbiddenHostReason, isLoopbackHost, PingtreeError, type ChannelConfig, type FieldIssue } from '@pingtree/contracts';

export const BUYER_URL_POLICY = Symbol('BUYER_URL_POLICY');

export interface BuyerUrlPolicyOptions {
  /** PINGTREE_ALLOW_PRIVATE_BUYER_URLS: loopback and private networks are allowed as buyers. */
  allowPrivate: boolean;
  /** The gateway's own listener (HTTP_HOST) and public base URL, which a channel must never call. */
  httpHost: string;
  publicUrl?: string;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

function bare(host: string): string {
  return host
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/\.$/, '');
}

function effectivePort(url: URL): number {
  return url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
}

/**
 * Save-time checks of the URLs a channel makes the platform call (SSRF). Besides what the schema
 * refuses everywhere (metadata, link-local), it refuses loopback and private networks unless
 * allowed, and the platform's own API and admin address whatever the setting. The buyer HTTP
 * client checks again at connect time, on the addresses names resolve to.
 */
@Injectable()
export class BuyerUrlPolicy {
  constructor(
    @Inject(BUYER_URL_POLICY) private readonly options: BuyerUrlPolicyOptions,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /** 422 VALIDATION_FAILED naming each bad URL field (`ping.url`, `post.url`). */
  check(channel: Pick<ChannelConfig, 'ping' | 'post'>): void {
    const fields: FieldIssue[] = [];
    const calls = [
      ['ping.url', channel.ping?.url],
      ['post.url', channel.post.url],
    ] as const;
    for (const [field, url] of calls) {
      const problem = url === undefined ? null : this.problem(new URL(url));
      if (problem) fields.push({ field, message: `must not point at ${problem}` });
    }
    if (fields.length > 0) throw new PingtreeError('VALIDATION_FAILED', 'channel failed validation', fields);
  }

  private problem(url: URL): string | null {
    if (this.isOwnAddress(url)) return "the platform's own API and admin address";
    const reason = forbiddenHostReason(url.hostname, this.options.allowPrivate);
    return reason && `${reason} (PINGTREE_ALLOW_PRIVATE_BUYER_URLS=true allows loopback and private networks)`;
  }

  private isOwnAddress(url: URL): boolean {
    const host = bare(url.hostname);
    const port = effectivePort(url);
    if (this.options.publicUrl) {
      const own = new URL(this.options.publicUrl);
      if (bare(own.hostname) === host && effectivePort(own) === port) return true;
    }
    return port === this.listeningPort() && this.isLocal(host);
  }

  private listeningPort(): number | null {
    const address = this.adapterHost.httpAdapter?.getHttpServer()?.address() as AddressInfo | string | null | undefined;
    return address && typeof address === 'object' ? address.port : null;
  }

  /** A name or address that reaches this machine's listener. */
  private isLocal(host: string): boolean {
    if (isLoopbackHost(host) || UNSPECIFIED.has(host) || host === bare(this.options.httpHost)) return true;
    return Object.values(networkInterfaces()).some((list) => (list ?? []).some((i) => bare(i.address) === host));
  }
}
