import { Injectable, Logger } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import type { PostAttempt, PostOutcome } from '@pingtree/contracts';
import { CapSettlementRepository } from './cap-settlement.repository';

/**
 * Outcomes that end a post without a sale. A timeout is not one: the buyer may have bought, so its
 * room stays held (the expiry sweeper commits it) rather than be sold again.
 */
const NO_SALE: readonly PostOutcome[] = ['rejected', 'error', 'unparseable', 'expired_bid', 'skipped_no_time'];

/**
 * Settles the cap room the auction reserved for each candidate: committed when the buyer
 * accepted the post, released otherwise. A failure here never fails the post: the expiry sweeper
 * settles whatever is left (and commits it if the post was accepted).
 */
@Injectable()
export class CapSettlement {
  private readonly logger = new Logger(CapSettlement.name);

  constructor(
    private readonly catalog: CatalogService,
    private readonly repo: CapSettlementRepository,
  ) {}

  async afterPost(leadId: string, attempt: PostAttempt): Promise<void> {
    if (!this.capped(attempt.channelId)) return;
    try {
      if (attempt.outcome === 'accepted') await this.repo.commit(leadId, attempt.channelId);
      else if (NO_SALE.includes(attempt.outcome)) await this.repo.release(leadId, [attempt.channelId]);
    } catch (error) {
      this.logger.warn(`lead ${leadId}: cap settlement for channel ${attempt.channelId} failed: ${String(error)}`);
    }
  }

  /**
   * A post's answer learned late (the buyer's callback, or an operator's reconciliation): a sale
   * counts even if its reservation had expired; a non-sale gives the room back, also when the expiry
   * sweeper had already counted it as used because the answer was unknown.
   */
  async afterLateAnswer(leadId: string, channelId: string, outcome: 'accepted' | 'rejected'): Promise<void> {
    if (!this.capped(channelId)) return;
    if (outcome === 'accepted') await this.repo.commit(leadId, channelId);
    else await this.repo.unsell(leadId, channelId);
  }

  /** Candidates the post never reached (enough sales, or the post stopped early). */
  async releaseUnposted(leadId: string, channelIds: string[]): Promise<void> {
    const capped = channelIds.filter((id) => this.capped(id));
    if (capped.length === 0) return;
    try {
      await this.repo.release(leadId, capped);
    } catch (error) {
      this.logger.warn(`lead ${leadId}: releasing cap room of unposted candidates failed: ${String(error)}`);
    }
  }

  /** Channels without caps have nothing reserved; a channel no longer known may still have. */
  private capped(channelId: string): boolean {
    const channel = this.catalog.current.channel(channelId);
    return !channel || channel.caps.length > 0;
  }
}
