import { buyerConfigSchema, campaignConfigSchema, channelConfigSchema, treeConfigSchema } from '@pingtree/contracts';
import { BuyerEntity, CampaignEntity, ChannelEntity, SupplierEntity, TreeEntity } from '@pingtree/db';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { Catalog } from './catalog';

export type InvalidConfigHandler = (what: string, id: string, message: string) => void;

/**
 * Stored JSON is parsed again with the contract schema so defaults added later apply;
 * a row that no longer parses is reported and left out rather than breaking every lead.
 */
function parseRows<S extends z.ZodType>(
  what: string,
  rows: Array<{ id: string; value: unknown }>,
  schema: S,
  onInvalid: InvalidConfigHandler,
): Array<z.infer<S> & { id: string }> {
  return rows.flatMap(({ id, value }) => {
    const result = schema.safeParse(value);
    if (result.success) return [{ ...(result.data as object), id } as z.infer<S> & { id: string }];
    onInvalid(what, id, result.error.message);
    return [];
  });
}

/** Reads all business configuration in one pass. */
export async function loadCatalog(ds: DataSource, onInvalid: InvalidConfigHandler): Promise<Catalog> {
  const [suppliers, buyers, channels, trees, campaigns] = await Promise.all([
    ds.getRepository(SupplierEntity).find({ where: { enabled: true } }),
    ds.getRepository(BuyerEntity).find(),
    ds.getRepository(ChannelEntity).find(),
    ds.getRepository(TreeEntity).find(),
    ds.getRepository(CampaignEntity).find(),
  ]);
  return new Catalog({
    suppliers: suppliers.map((s) => ({
      id: s.id,
      name: s.name,
      apiKeyHash: s.apiKeyHash,
      priceFloor: Number(s.priceFloor),
      enabled: s.enabled,
    })),
    buyers: parseRows(
      'buyer',
      buyers.map((b) => ({ id: b.id, value: { name: b.name, displayName: b.displayName, enabled: b.enabled } })),
      buyerConfigSchema,
      onInvalid,
    ),
    channels: parseRows(
      'channel',
      channels.map((c) => ({ id: c.id, value: c.config })),
      channelConfigSchema,
      onInvalid,
    ),
    trees: parseRows(
      'tree',
      trees.map((t) => ({ id: t.id, value: t.config })),
      treeConfigSchema,
      onInvalid,
    ),
    campaigns: parseRows(
      'campaign',
      campaigns.map((c) => ({ id: c.id, value: c.config })),
      campaignConfigSchema,
      onInvalid,
    ),
  });
}
