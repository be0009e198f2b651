import { buyerConfigSchema, campaignConfigSchema, channelConfigSchema, treeConfigSchema } from '@pingtree/contracts';
import { cipherFromEnv, openChannelSecrets, type FieldCipher } from '@pingtree/crypto';
import { BuyerEntity, CampaignEntity, ChannelEntity, SupplierEntity, TreeEntity, ConfigVersions } from '@pingtree/db';
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

/** Channels with their buyer credentials decrypted; one that can't be decrypted is reported and left out. */
function openChannels(channels: ChannelEntity[], cipher: FieldCipher, onInvalid: InvalidConfigHandler) {
  return channels.flatMap((c) => {
    try {
      return [{ id: c.id, value: openChannelSecrets(c.config, cipher) as unknown }];
    } catch (error) {
      onInvalid('channel', c.id, (error as Error).message);
      return [];
    }
  });
}

/** Reads all business configuration in one pass; `cipher` decrypts buyer credentials. */
export async function loadCatalog(
  ds: DataSource,
  onInvalid: InvalidConfigHandler,
  cipher: FieldCipher = cipherFromEnv(),
): Promise<Catalog> {
  const [suppliers, buyers, channels, trees, campaigns, treeVersions] = await Promise.all([
    ds.getRepository(SupplierEntity).find({ where: { enabled: true } }),
    ds.getRepository(BuyerEntity).find(),
    ds.getRepository(ChannelEntity).find(),
    ds.getRepository(TreeEntity).find(),
    ds.getRepository(CampaignEntity).find(),
    // Which version of each tree routes leads now, so a lead's trail can name it.
    new ConfigVersions(ds).latest('tree'),
  ]);
  return new Catalog({
    suppliers: suppliers.map((s) => ({
      id: s.id,
      name: s.name,
      apiKeyHash: s.apiKeyHash,
      priceFloor: Number(s.priceFloor),
      enabled: s.enabled,
      ...(s.rateLimitPerSecond !== null && { rateLimitPerSecond: s.rateLimitPerSecond }),
    })),
    buyers: parseRows(
      'buyer',
      buyers.map((b) => ({ id: b.id, value: { name: b.name, displayName: b.displayName, enabled: b.enabled } })),
      buyerConfigSchema,
      onInvalid,
    ),
    channels: parseRows('channel', openChannels(channels, cipher, onInvalid), channelConfigSchema, onInvalid),
    trees: parseRows(
      'tree',
      trees.map((t) => ({ id: t.id, value: t.config })),
      treeConfigSchema,
      onInvalid,
    ).map((tree) => ({ ...tree, version: treeVersions.get(tree.id) ?? null })),
    campaigns: parseRows(
      'campaign',
      campaigns.map((c) => ({ id: c.id, value: c.config })),
      campaignConfigSchema,
      onInvalid,
    ),
  });
}
