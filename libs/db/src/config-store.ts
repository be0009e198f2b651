import { createHash, randomBytes } from 'node:crypto';
import {
  buyerConfigSchema,
  campaignConfigSchema,
  channelConfigSchema,
  treeConfigSchema,
  type BuyerConfig,
  type CampaignConfig,
  type ChannelConfig,
  type TreeConfig,
} from '@pingtree/contracts';
import type { DataSource } from 'typeorm';
import type { z } from 'zod';
import { BuyerEntity, CampaignEntity, ChannelEntity, SupplierEntity, TreeEntity } from './entities';

/**
 * Writes business configuration, validated by the contract schemas. Used by the demo seed and
 * tests today and by the admin API; services pick changes up on `config.v1.changed`.
 */
export class ConfigStore {
  constructor(private readonly ds: DataSource) {}

  /** Creates a supplier; the API key is returned once and stored only as its hash. */
  async createSupplier(name: string, apiKey = randomBytes(24).toString('base64url')): Promise<{ id: string; apiKey: string }> {
    const apiKeyHash = createHash('sha256').update(apiKey, 'utf8').digest('hex');
    const saved = await this.ds.getRepository(SupplierEntity).save({ name, apiKeyHash, enabled: true });
    return { id: saved.id, apiKey };
  }

  async createBuyer(config: z.input<typeof buyerConfigSchema>): Promise<string> {
    const b: BuyerConfig = buyerConfigSchema.parse(config);
    return (await this.ds.getRepository(BuyerEntity).save({ name: b.name, displayName: b.displayName, enabled: b.enabled })).id;
  }

  async createChannel(config: z.input<typeof channelConfigSchema>): Promise<string> {
    const c: ChannelConfig = channelConfigSchema.parse(config);
    return (await this.ds.getRepository(ChannelEntity).save({ buyerId: c.buyerId, config: c })).id;
  }

  async updateChannel(id: string, config: z.input<typeof channelConfigSchema>): Promise<void> {
    const c: ChannelConfig = channelConfigSchema.parse(config);
    await this.ds.getRepository(ChannelEntity).update({ id }, { buyerId: c.buyerId, config: c });
  }

  async createTree(config: z.input<typeof treeConfigSchema>): Promise<string> {
    const t: TreeConfig = treeConfigSchema.parse(config);
    return (await this.ds.getRepository(TreeEntity).save({ config: t })).id;
  }

  async createCampaign(config: z.input<typeof campaignConfigSchema>): Promise<string> {
    const c: CampaignConfig = campaignConfigSchema.parse(config);
    return (await this.ds.getRepository(CampaignEntity).save({ key: c.key, config: c })).id;
  }
}
