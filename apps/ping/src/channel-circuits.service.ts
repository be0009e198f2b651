import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { FAILED_PING_OUTCOMES, SUBJECTS, withNamespace, type Channel, type PingOutcome } from '@pingtree/contracts';
import { MESSAGING_OPTIONS, NATS_CONNECTION, type MessagingOptions } from '@pingtree/messaging';
import { DataSource } from 'typeorm';
import { circuitOpen } from '@pingtree/telemetry';
import { EventLoopLag } from '@pingtree/runtime';
import { CircuitBreaker, type CircuitTransition } from './circuit-breaker';

/** Above this, this replica's own event loop ran late enough to make a healthy buyer look slow. */
export const LATE_LOOP_MS = 100;

/**
 * A timeout while this replica's loop was running late (an overloaded machine) says nothing about
 * the buyer: it is not counted, so overload doesn't open every channel's circuit at once.
 */
export function countsForCircuit(outcome: PingOutcome, loopLagMs: number): boolean {
  return !(outcome === 'timeout' && loopLagMs > LATE_LOOP_MS);
}

interface CircuitNotice {
  channelId: string;
  transition: CircuitTransition;
  origin: string;
}

/**
 * Circuit breakers for every channel this replica pings. Transitions (rare) are stored in
 * PostgreSQL for the admin API and broadcast so every ping replica skips a failing buyer together.
 */
@Injectable()
export class ChannelCircuits implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ChannelCircuits.name);
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly origin = randomUUID();
  private subscription: Subscription | null = null;
  private readonly lag = new EventLoopLag().start();

  constructor(
    private readonly ds: DataSource,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(MESSAGING_OPTIONS) private readonly options: MessagingOptions,
  ) {}

  async onModuleInit(): Promise<void> {
    this.subscription = this.nc.subscribe(withNamespace(this.options.namespace, SUBJECTS.circuitChanged), {
      callback: (err, msg) => {
        if (err) return;
        const notice = msg.json<CircuitNotice>();
        if (notice.origin === this.origin) return;
        this.breaker(notice.channelId).apply(notice.transition);
        circuitOpen.set({ channel: notice.channelId }, notice.transition.state === 'open' ? 1 : 0);
      },
    });
    const open = (await this.ds.query(
      `SELECT channel_id, (extract(epoch from retry_at) * 1000)::float8 AS retry_at, reason FROM channel_circuits WHERE state = 'open'`,
    )) as Array<{ channel_id: string; retry_at: number; reason: string | null }>;
    for (const row of open)
      this.breaker(row.channel_id).apply({ state: 'open', retryAt: row.retry_at, reason: row.reason ?? '' });
  }

  onModuleDestroy(): void {
    this.lag.stop();
    this.subscription?.unsubscribe();
  }

  /** Null when the ping may go out, otherwise why not. */
  blocked(channel: Channel): string | null {
    const breaker = this.breaker(channel.id);
    return breaker.allow(Date.now()) ? null : `circuit open until ${new Date(breaker.retryAtMs()).toISOString()}`;
  }

  record(channel: Channel, outcome: PingOutcome, reason: string | null): void {
    if (outcome === 'skipped_no_time' || outcome === 'post_only' || outcome === 'circuit_open') return;
    if (!countsForCircuit(outcome, this.lag.recentMaxMs())) return;
    const failed = FAILED_PING_OUTCOMES.includes(outcome);
    const transition = this.breaker(channel.id).record(failed, `${outcome}: ${reason ?? ''}`.trim(), channel.circuit, Date.now());
    if (transition) void this.announce(channel.id, transition);
  }

  private breaker(channelId: string): CircuitBreaker {
    let breaker = this.breakers.get(channelId);
    if (!breaker) this.breakers.set(channelId, (breaker = new CircuitBreaker()));
    return breaker;
  }

  private async announce(channelId: string, transition: CircuitTransition): Promise<void> {
    this.logger.warn(
      `channel ${channelId} circuit ${transition.state}${transition.state === 'open' ? ` (${transition.reason})` : ''}`,
    );
    circuitOpen.set({ channel: channelId }, transition.state === 'open' ? 1 : 0);
    const notice: CircuitNotice = { channelId, transition, origin: this.origin };
    this.nc.publish(withNamespace(this.options.namespace, SUBJECTS.circuitChanged), JSON.stringify(notice));
    try {
      await this.ds.query(
        `INSERT INTO channel_circuits (channel_id, state, reason, opened_at, retry_at, updated_at)
         VALUES ($1, $2, $3, CASE WHEN $2 = 'open' THEN now() END, to_timestamp($4 / 1000.0), now())
         ON CONFLICT (channel_id) DO UPDATE SET state = EXCLUDED.state, reason = EXCLUDED.reason,
           opened_at = COALESCE(EXCLUDED.opened_at, channel_circuits.opened_at), retry_at = EXCLUDED.retry_at, updated_at = now()`,
        [
          channelId,
          transition.state,
          transition.state === 'open' ? transition.reason : null,
          transition.state === 'open' ? transition.retryAt : null,
        ],
      );
    } catch (error) {
      this.logger.warn(`could not store circuit state of ${channelId}: ${String(error)}`);
    }
  }
}
