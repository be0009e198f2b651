import { hashString, mulberry32, type Rng } from './prng';
import { type SimBuyer, simBuyerSchema } from './sim-buyer';
import { BUYER_STYLES, type BuyerStyle } from './styles';
import { TransactionBook } from './transaction-book';

/** A buyer's settings plus what it remembers between calls. */
export interface BuyerState {
  buyer: SimBuyer;
  style: BuyerStyle;
  rng: Rng;
  book: TransactionBook;
  /** Ids issued so far; part of each new id so ids never repeat. */
  issued: number;
}

export class BuyerRegistry {
  private readonly states = new Map<string, BuyerState>();

  constructor(private readonly seed: number) {}

  /**
   * Validates (throws a ZodError) and stores. Replacing a buyer keeps its issued ids and its random
   * stream, so a test can switch a buyer to `hang` between a ping and its post.
   */
  set(input: unknown): SimBuyer {
    const buyer = simBuyerSchema.parse(input);
    const known = this.states.get(buyer.key);
    if (known) {
      known.buyer = buyer;
      known.style = BUYER_STYLES[buyer.style];
    } else {
      this.states.set(buyer.key, {
        buyer,
        style: BUYER_STYLES[buyer.style],
        // Each buyer draws from its own stream, so interleaving buyers doesn't change their answers.
        rng: mulberry32(this.seed ^ hashString(buyer.key)),
        book: new TransactionBook(),
        issued: 0,
      });
    }
    return buyer;
  }

  get(key: string): BuyerState | undefined {
    return this.states.get(key);
  }

  list(): SimBuyer[] {
    return [...this.states.values()].map((s) => s.buyer);
  }
}
