import { Injectable } from '@nestjs/common';
import { CAP_PERIODS, type Candidate, type CapPeriod, type Channel, type Tier } from '@pingtree/contracts';
import { CapReservationRepository, type CapWindow } from './cap-reservation.repository';
import { capWindowStart } from './cap-windows';
import { openSpansOn, pacedDailyCount } from './pacing';
import type { Ranking } from './rank-bids';

/** A reservation outlives the lead's deadline by this much; then the post service's sweeper releases it. */
export const RESERVATION_GRACE_MS = 60_000;
/** A choice pick is posted under a fresh deadline of at most the campaign tmax ceiling. */
const PICK_POST_MS = 60_000;

export interface PacedWindow extends CapWindow {
  /** The daily count cap when pacing lowered `countLimit` below it. */
  pacedFrom: number | null;
}

/** Even pacing: the daily count spread over the open hours of the schedule's day if any, else the whole day. */
function pacedCount(channel: Channel, dailyCount: number, at: number): number {
  const { schedule } = channel;
  return schedule
    ? pacedDailyCount(dailyCount, at, schedule.timezone, openSpansOn(schedule, at))
    : pacedDailyCount(dailyCount, at, channel.timezone);
}

/**
 * The windows a sale to this channel at `at` counts in, with the limits in force. Even pacing
 * lowers the day's count limit to the share of the day (or of its open hours) that has passed.
 */
export function capWindowsFor(channel: Channel, at: number): PacedWindow[] {
  return channel.caps.map((cap) => {
    let countLimit = cap.count ?? null;
    let pacedFrom: number | null = null;
    if (cap.period === 'day' && countLimit !== null && channel.pacing?.mode === 'even') {
      const paced = pacedCount(channel, countLimit, at);
      if (paced < countLimit) [pacedFrom, countLimit] = [countLimit, paced];
    }
    return {
      period: cap.period,
      start: capWindowStart(cap.period, at, channel.timezone),
      countLimit,
      spendLimit: cap.spend ?? null,
      pacedFrom,
    };
  });
}

/** Why a candidate was dropped: the shortest full window, and whether pacing made it full. */
export function capReachedReason(fullPeriods: CapPeriod[], windows: PacedWindow[]): string {
  const period = CAP_PERIODS.find((p) => fullPeriods.includes(p)) ?? fullPeriods[0]!;
  const paced = windows.find((w) => w.period === period && w.pacedFrom !== null);
  return paced ? `cap_reached (${period}, paced: ${paced.countLimit} of ${paced.pacedFrom} by now)` : `cap_reached (${period})`;
}

export interface CapReservationInput {
  leadId: string;
  tier: Tier;
  ranking: Ranking;
  /** The lead's deadline (epoch ms). */
  deadlineAt: number;
  channel: (id: string) => Channel | undefined;
  now: number;
}

/**
 * Reserves cap room for every ranked candidate whose channel has caps. A candidate without room
 * is dropped and passed over as `cap_reached (<period>)`; the rest keep their order, renumbered.
 */
@Injectable()
export class CapReservations {
  constructor(private readonly repo: CapReservationRepository) {}

  async reserve(input: CapReservationInput): Promise<Ranking> {
    const { ranking, now } = input;
    // Choice offers wait for the consumer, then the pick is posted: hold the room that long.
    const heldUntil =
      input.tier.logic === 'choice'
        ? Math.max(input.deadlineAt, now + input.tier.offerTtlSeconds * 1000 + PICK_POST_MS)
        : input.deadlineAt;
    const verdicts = await Promise.all(
      ranking.candidates.map(async (candidate) => {
        const channel = input.channel(candidate.channelId);
        if (!channel || channel.caps.length === 0) return null;
        const windows = capWindowsFor(channel, now);
        const result = await this.repo.reserve({
          leadId: input.leadId,
          channelId: candidate.channelId,
          price: candidate.price,
          windows,
          expiresAt: heldUntil + RESERVATION_GRACE_MS,
        });
        return result.reserved ? null : capReachedReason(result.fullPeriods, windows);
      }),
    );
    const kept: Candidate[] = [];
    const passedOver = [...ranking.passedOver];
    ranking.candidates.forEach((candidate, i) => {
      const reason = verdicts[i];
      if (reason) passedOver.push({ channelId: candidate.channelId, reason });
      else kept.push({ ...candidate, rank: kept.length + 1 });
    });
    return { candidates: kept, passedOver };
  }
}
