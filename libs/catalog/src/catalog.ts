import type { Buyer, Campaign, Channel, Supplier, Tree } from '@pingtree/contracts';

/** An immutable snapshot of the business configuration, indexed for the hot path. */
export class Catalog {
  private readonly campaignsByKey = new Map<string, Campaign>();
  private readonly campaignsById = new Map<string, Campaign>();
  private readonly suppliersByKeyHash = new Map<string, Supplier>();
  private readonly channelsById = new Map<string, Channel>();
  private readonly buyersById = new Map<string, Buyer>();
  private readonly treesById = new Map<string, Tree>();

  constructor(parts: { campaigns: Campaign[]; suppliers: Supplier[]; channels: Channel[]; buyers: Buyer[]; trees: Tree[] }) {
    for (const c of parts.campaigns) {
      this.campaignsByKey.set(c.key, c);
      this.campaignsById.set(c.id, c);
    }
    for (const s of parts.suppliers) this.suppliersByKeyHash.set(s.apiKeyHash, s);
    for (const c of parts.channels) this.channelsById.set(c.id, c);
    for (const b of parts.buyers) this.buyersById.set(b.id, b);
    for (const t of parts.trees) this.treesById.set(t.id, t);
  }

  campaignByKey(key: string): Campaign | undefined {
    return this.campaignsByKey.get(key);
  }
  campaign(id: string): Campaign | undefined {
    return this.campaignsById.get(id);
  }
  supplierByKeyHash(hash: string): Supplier | undefined {
    return this.suppliersByKeyHash.get(hash);
  }
  channels(): Channel[] {
    return [...this.channelsById.values()];
  }
  channel(id: string): Channel | undefined {
    return this.channelsById.get(id);
  }
  buyer(id: string): Buyer | undefined {
    return this.buyersById.get(id);
  }
  tree(id: string): Tree | undefined {
    return this.treesById.get(id);
  }
}
