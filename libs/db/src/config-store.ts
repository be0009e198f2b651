import { createHash, randomBytes } from 'node:crypto';
import {
  buyerConfigSchema,
  campaignConfigSchema,
  channelConfigSchema,
  PingtreeError,
  supplierConfigSchema,
  treeConfigSchema,
  type Buyer,
  type BuyerConfig,
  type Campaign,
  type CampaignConfig,
  type Channel,
  type ChannelConfig,
  type FieldIssue,
  type SupplierConfig,
  type Tree,
  type TreeConfig,
} from '@pingtree/contracts';
import { cipherFromEnv, maskChannelSecrets, sealChannelSecrets, unmaskChannelSecrets, type FieldCipher } from '@pingtree/crypto';
import { In, QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import {
  BuyerEntity,
  CampaignEntity,
  ChannelEntity,
  LeadEntity,
  LeadOfferEntity,
  PostAttemptEntity,
  SupplierEntity,
  TreeEntity,
} from './entities';

/** A supplier as operators see it: never its key or the key's hash. */
export interface SupplierView extends SupplierConfig {
  id: string;
}

/** What a delete did: campaigns that leads refer to are disabled rather than removed. */
export interface DeleteOutcome {
  id: string;
  result: 'deleted' | 'disabled';
  message: string;
}

/** PostgreSQL error codes that are the caller's doing, not the server's. */
const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  numericOutOfRange: '22003',
  nulInText: '22021',
  nulInJson: '22P05',
} as const;

function pgCode(error: unknown): string | undefined {
  if (!(error instanceof QueryFailedError)) return undefined;
  const code = (error.driverError as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** Turns database refusals caused by the input into PingtreeErrors; anything else is rethrown as is. */
function callerError(error: unknown, onUnique?: () => PingtreeError, onForeignKey?: () => PingtreeError): unknown {
  switch (pgCode(error)) {
    case PG.uniqueViolation:
      return onUnique?.() ?? error;
    case PG.foreignKeyViolation:
      return onForeignKey?.() ?? error;
    case PG.numericOutOfRange:
      return new PingtreeError('VALIDATION_FAILED', 'a number is out of range', [{ field: 'priceFloor', message: 'too large' }]);
    case PG.nulInText:
    case PG.nulInJson:
      return new PingtreeError('INVALID_REQUEST', 'text values must not contain NUL (\\u0000) characters');
    default:
      return error;
  }
}

function newApiKey(): string {
  return randomBytes(24).toString('base64url');
}

function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey, 'utf8').digest('hex');
}

/** Stored JSON parsed again so defaults added since apply, as the catalog does; kept as stored if it no longer parses. */
function withId<S extends z.ZodType>(schema: S, id: string, stored: unknown): z.output<S> & { id: string } {
  const parsed = schema.safeParse(stored);
  return { id, ...((parsed.success ? parsed.data : stored) as object) } as z.output<S> & { id: string };
}

function supplierView(s: SupplierEntity): SupplierView {
  return {
    id: s.id,
    name: s.name,
    priceFloor: Number(s.priceFloor),
    enabled: s.enabled,
    ...(s.rateLimitPerSecond !== null && { rateLimitPerSecond: s.rateLimitPerSecond }),
  };
}

function buyerView(b: BuyerEntity): Buyer {
  return { id: b.id, name: b.name, displayName: b.displayName, enabled: b.enabled };
}

function notFound(what: string, id: string): PingtreeError {
  return new PingtreeError('NOT_FOUND', `${what} ${id} not found`);
}

function listed(items: Array<{ id: string; name: string }>, what: string): string {
  return items.map((i) => `${what} "${i.name}" (${i.id})`).join(', ');
}

const ORDER = { createdAt: 'ASC', id: 'ASC' } as const;

/**
 * Reads and writes business configuration, validated by the contract schemas. The single writer of
 * configuration: the demo seed, tests and the admin API. It checks references between records at
 * save time (under row locks, so a concurrent delete can't slip between check and write) and refuses
 * deletes that would leave a dangling reference. Callers announce changes on `config.v1.changed`.
 */
export class ConfigStore {
  /** `cipher` encrypts buyer credentials at rest; by default the keys in PINGTREE_ENCRYPTION_KEYS. */
  constructor(
    private readonly ds: DataSource,
    private readonly cipher?: FieldCipher,
  ) {}

  private secrets(): FieldCipher {
    return this.cipher ?? cipherFromEnv();
  }

  // ---- suppliers -------------------------------------------------------------------------------

  /** Creates a supplier; the API key is returned once and stored only as its hash. */
  async createSupplier(
    config: string | z.input<typeof supplierConfigSchema>,
    apiKey = newApiKey(),
  ): Promise<SupplierView & { apiKey: string }> {
    const s = supplierConfigSchema.parse(typeof config === 'string' ? { name: config } : config);
    try {
      const saved = await this.ds.getRepository(SupplierEntity).save({
        name: s.name,
        priceFloor: String(s.priceFloor),
        enabled: s.enabled,
        apiKeyHash: hashApiKey(apiKey),
        rateLimitPerSecond: s.rateLimitPerSecond ?? null,
      });
      return { ...supplierView(saved), apiKey };
    } catch (error) {
      throw callerError(error, () => new PingtreeError('CONFLICT', 'this API key is already in use'));
    }
  }

  async listSuppliers(): Promise<SupplierView[]> {
    return (await this.ds.getRepository(SupplierEntity).find({ order: ORDER })).map(supplierView);
  }

  async getSupplier(id: string): Promise<SupplierView | null> {
    const s = await this.ds.getRepository(SupplierEntity).findOneBy({ id });
    return s ? supplierView(s) : null;
  }

  /** `rateLimitPerSecond: null` removes the supplier's rate limit. */
  async updateSupplier(
    id: string,
    patch: Partial<Omit<SupplierConfig, 'rateLimitPerSecond'>> & { rateLimitPerSecond?: number | null },
  ): Promise<SupplierView> {
    const changes: Partial<Pick<SupplierEntity, 'name' | 'priceFloor' | 'enabled' | 'rateLimitPerSecond'>> = {};
    if (patch.name !== undefined) changes.name = patch.name;
    if (patch.priceFloor !== undefined) changes.priceFloor = String(patch.priceFloor);
    if (patch.enabled !== undefined) changes.enabled = patch.enabled;
    if (patch.rateLimitPerSecond !== undefined) changes.rateLimitPerSecond = patch.rateLimitPerSecond;
    const repo = this.ds.getRepository(SupplierEntity);
    if (Object.keys(changes).length > 0) {
      try {
        const result = await repo.update({ id }, changes);
        if (result.affected === 0) throw notFound('supplier', id);
      } catch (error) {
        throw callerError(error);
      }
    }
    const updated = await this.getSupplier(id);
    if (!updated) throw notFound('supplier', id);
    return updated;
  }

  /** Replaces the supplier's API key; the old one stops working once services reload. */
  async rotateSupplierKey(id: string, apiKey = newApiKey()): Promise<{ id: string; apiKey: string }> {
    const result = await this.ds.getRepository(SupplierEntity).update({ id }, { apiKeyHash: hashApiKey(apiKey) });
    if (result.affected === 0) throw notFound('supplier', id);
    return { id, apiKey };
  }

  // ---- buyers ----------------------------------------------------------------------------------

  async createBuyer(config: z.input<typeof buyerConfigSchema>): Promise<string> {
    const b: BuyerConfig = buyerConfigSchema.parse(config);
    try {
      return await this.ds.transaction(async (m) => {
        await this.requireFreeBuyerName(m, b.name, null);
        return (await m.getRepository(BuyerEntity).save({ name: b.name, displayName: b.displayName, enabled: b.enabled })).id;
      });
    } catch (error) {
      throw callerError(error, () => duplicateBuyerName(b.name));
    }
  }

  async listBuyers(): Promise<Buyer[]> {
    return (await this.ds.getRepository(BuyerEntity).find({ order: ORDER })).map(buyerView);
  }

  async getBuyer(id: string): Promise<Buyer | null> {
    const b = await this.ds.getRepository(BuyerEntity).findOneBy({ id });
    return b ? buyerView(b) : null;
  }

  async updateBuyer(id: string, config: z.input<typeof buyerConfigSchema>): Promise<Buyer> {
    const b: BuyerConfig = buyerConfigSchema.parse(config);
    try {
      await this.ds.transaction(async (m) => {
        const repo = m.getRepository(BuyerEntity);
        if (!(await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))) throw notFound('buyer', id);
        await this.requireFreeBuyerName(m, b.name, id);
        await repo.update({ id }, b);
      });
    } catch (error) {
      throw callerError(error, () => duplicateBuyerName(b.name));
    }
    return { id, ...b };
  }

  /** Refused while channels belong to the buyer. */
  async deleteBuyer(id: string): Promise<DeleteOutcome> {
    try {
      return await this.ds.transaction(async (m) => {
        if (!(await m.getRepository(BuyerEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))) {
          throw notFound('buyer', id);
        }
        const channels = await m.getRepository(ChannelEntity).find({ where: { buyerId: id }, order: ORDER });
        if (channels.length > 0) {
          throw new PingtreeError(
            'CONFLICT',
            `buyer ${id} still has ${listed(
              channels.map((c) => ({ id: c.id, name: c.config.name })),
              'channel',
            )}; delete or move them first`,
          );
        }
        await m.getRepository(BuyerEntity).delete({ id });
        return { id, result: 'deleted' as const, message: `buyer ${id} deleted` };
      });
    } catch (error) {
      throw callerError(error, undefined, () => new PingtreeError('CONFLICT', `buyer ${id} gained a channel meanwhile`));
    }
  }

  // ---- channels --------------------------------------------------------------------------------

  /** The channel's buyer must exist. Its credentials are stored encrypted. */
  async createChannel(config: z.input<typeof channelConfigSchema>): Promise<string> {
    const c: ChannelConfig = channelConfigSchema.parse(config);
    const sealed = sealChannelSecrets(c, this.secrets());
    try {
      return await this.ds.transaction(async (m) => {
        await this.requireBuyer(m, c.buyerId);
        return (await m.getRepository(ChannelEntity).save({ buyerId: c.buyerId, config: sealed })).id;
      });
    } catch (error) {
      throw callerError(error, undefined, () => missingBuyer(c.buyerId));
    }
  }

  /** Channels as operators see them: credentials masked, never decrypted. */
  async listChannels(): Promise<Channel[]> {
    const rows = await this.ds.getRepository(ChannelEntity).find({ order: ORDER });
    return rows.map((r) => withId(channelConfigSchema, r.id, maskChannelSecrets(r.config)));
  }

  async getChannel(id: string): Promise<Channel | null> {
    const r = await this.ds.getRepository(ChannelEntity).findOneBy({ id });
    return r ? withId(channelConfigSchema, r.id, maskChannelSecrets(r.config)) : null;
  }

  /**
   * A channel config sent back as the admin API showed it: each mask replaced by the stored secret
   * (decrypted in memory), so it can be validated like any other; a mask with no stored secret is
   * refused naming the field. Anything that is not an object is returned as it is.
   */
  async withStoredSecrets(id: string, config: unknown): Promise<unknown> {
    if (config === null || typeof config !== 'object' || Array.isArray(config)) return config;
    const stored = await this.ds.getRepository(ChannelEntity).findOneBy({ id });
    if (!stored) throw notFound('channel', id);
    return unmaskChannelSecrets(config, stored.config, this.secrets());
  }

  /**
   * Replaces the channel's configuration; its (possibly new) buyer must exist. A credential sent
   * as the mask keeps the stored one. Answers with credentials masked.
   */
  async updateChannel(id: string, config: z.input<typeof channelConfigSchema>): Promise<Channel> {
    const c: ChannelConfig = channelConfigSchema.parse(config);
    try {
      await this.ds.transaction(async (m) => {
        const repo = m.getRepository(ChannelEntity);
        const stored = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
        if (!stored) throw notFound('channel', id);
        await this.requireBuyer(m, c.buyerId);
        await repo.update({ id }, { buyerId: c.buyerId, config: sealChannelSecrets(c, this.secrets(), stored.config) });
      });
    } catch (error) {
      throw callerError(error, undefined, () => missingBuyer(c.buyerId));
    }
    return { id, ...maskChannelSecrets(c) };
  }

  /** Refused while a tree uses the channel, or once leads were delivered or offered through it (disable it instead). */
  async deleteChannel(id: string): Promise<DeleteOutcome> {
    try {
      return await this.ds.transaction(async (m) => {
        if (!(await m.getRepository(ChannelEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))) {
          throw notFound('channel', id);
        }
        const trees = await m
          .getRepository(TreeEntity)
          .createQueryBuilder('t')
          .where(
            `t.config -> 'tiers' @> jsonb_build_array(jsonb_build_object('channelIds', jsonb_build_array(CAST(:id AS text))))`,
            { id },
          )
          .orderBy('t.createdAt', 'ASC')
          .getMany();
        if (trees.length > 0) {
          throw new PingtreeError(
            'CONFLICT',
            `channel ${id} is used by ${listed(
              trees.map((t) => ({ id: t.id, name: t.config.name })),
              'tree',
            )}; remove it from them first`,
          );
        }
        const posts = await m.getRepository(PostAttemptEntity).countBy({ channelId: id });
        const offers = await m.getRepository(LeadOfferEntity).countBy({ channelId: id });
        if (posts + offers > 0) {
          throw new PingtreeError(
            'CONFLICT',
            `channel ${id} has delivery history (${posts} post(s), ${offers} offer(s)) that refers to it; disable it with "enabled": false instead`,
          );
        }
        await m.getRepository(ChannelEntity).delete({ id });
        return { id, result: 'deleted' as const, message: `channel ${id} deleted` };
      });
    } catch (error) {
      throw callerError(
        error,
        undefined,
        () => new PingtreeError('CONFLICT', `channel ${id} gained delivery history meanwhile; disable it instead`),
      );
    }
  }

  // ---- trees -----------------------------------------------------------------------------------

  /** Every channel of every tier must exist. */
  async createTree(config: z.input<typeof treeConfigSchema>): Promise<string> {
    const t: TreeConfig = treeConfigSchema.parse(config);
    try {
      return await this.ds.transaction(async (m) => {
        await this.requireChannels(m, t);
        return (await m.getRepository(TreeEntity).save({ config: t })).id;
      });
    } catch (error) {
      throw callerError(error);
    }
  }

  async listTrees(): Promise<Tree[]> {
    const rows = await this.ds.getRepository(TreeEntity).find({ order: ORDER });
    return rows.map((r) => withId(treeConfigSchema, r.id, r.config));
  }

  async getTree(id: string): Promise<Tree | null> {
    const r = await this.ds.getRepository(TreeEntity).findOneBy({ id });
    return r ? withId(treeConfigSchema, r.id, r.config) : null;
  }

  async updateTree(id: string, config: z.input<typeof treeConfigSchema>): Promise<Tree> {
    const t: TreeConfig = treeConfigSchema.parse(config);
    try {
      await this.ds.transaction(async (m) => {
        const repo = m.getRepository(TreeEntity);
        if (!(await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))) throw notFound('tree', id);
        await this.requireChannels(m, t);
        await repo.update({ id }, { config: t });
      });
    } catch (error) {
      throw callerError(error);
    }
    return { id, ...t };
  }

  /** Refused while a campaign uses the tree. */
  async deleteTree(id: string): Promise<DeleteOutcome> {
    return this.ds.transaction(async (m) => {
      if (!(await m.getRepository(TreeEntity).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))) {
        throw notFound('tree', id);
      }
      const campaigns = await m
        .getRepository(CampaignEntity)
        .createQueryBuilder('c')
        .where(`c.config ->> 'treeId' = :id`, { id })
        .orderBy('c.createdAt', 'ASC')
        .getMany();
      if (campaigns.length > 0) {
        throw new PingtreeError(
          'CONFLICT',
          `tree ${id} is used by ${listed(
            campaigns.map((c) => ({ id: c.id, name: c.key })),
            'campaign',
          )}; point them at another tree first`,
        );
      }
      await m.getRepository(TreeEntity).delete({ id });
      return { id, result: 'deleted' as const, message: `tree ${id} deleted` };
    });
  }

  // ---- campaigns -------------------------------------------------------------------------------

  /** The campaign's tree must exist and its key must be unused. */
  async createCampaign(config: z.input<typeof campaignConfigSchema>): Promise<string> {
    const c: CampaignConfig = campaignConfigSchema.parse(config);
    try {
      return await this.ds.transaction(async (m) => {
        await this.requireTree(m, c.treeId);
        await this.requireFreeKey(m, c.key, null);
        return (await m.getRepository(CampaignEntity).save({ key: c.key, config: c })).id;
      });
    } catch (error) {
      throw callerError(error, () => duplicateKey(c.key));
    }
  }

  async listCampaigns(): Promise<Campaign[]> {
    const rows = await this.ds.getRepository(CampaignEntity).find({ order: ORDER });
    return rows.map((r) => withId(campaignConfigSchema, r.id, r.config));
  }

  async getCampaign(id: string): Promise<Campaign | null> {
    const r = await this.ds.getRepository(CampaignEntity).findOneBy({ id });
    return r ? withId(campaignConfigSchema, r.id, r.config) : null;
  }

  async updateCampaign(id: string, config: z.input<typeof campaignConfigSchema>): Promise<Campaign> {
    const c: CampaignConfig = campaignConfigSchema.parse(config);
    try {
      await this.ds.transaction(async (m) => {
        const repo = m.getRepository(CampaignEntity);
        if (!(await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }))) throw notFound('campaign', id);
        await this.requireTree(m, c.treeId);
        await this.requireFreeKey(m, c.key, id);
        await repo.update({ id }, { key: c.key, config: c });
      });
    } catch (error) {
      throw callerError(error, () => duplicateKey(c.key));
    }
    return { id, ...c };
  }

  /**
   * Deletes a campaign no lead refers to. A campaign with leads is disabled instead (partners'
   * leads for it are refused from then on) so that the leads keep their history.
   */
  async deleteCampaign(id: string): Promise<DeleteOutcome> {
    return this.ds.transaction(async (m) => {
      const repo = m.getRepository(CampaignEntity);
      const campaign = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!campaign) throw notFound('campaign', id);
      if (await m.getRepository(LeadEntity).exists({ where: { campaignId: id } })) {
        await repo.update({ id }, { config: { ...campaign.config, enabled: false } });
        return {
          id,
          result: 'disabled' as const,
          message: `campaign ${id} has leads, so it was disabled ("enabled": false) instead of deleted; its leads keep their history`,
        };
      }
      await repo.delete({ id });
      return { id, result: 'deleted' as const, message: `campaign ${id} deleted` };
    });
  }

  // ---- reference checks ------------------------------------------------------------------------

  /** Locks the buyer against deletion until the transaction ends. */
  private async requireBuyer(m: EntityManager, buyerId: string): Promise<void> {
    const buyer = await m.getRepository(BuyerEntity).findOne({ where: { id: buyerId }, lock: { mode: 'pessimistic_read' } });
    if (!buyer) throw missingBuyer(buyerId);
  }

  /** Locks the tree's channels against deletion until the transaction ends. */
  private async requireChannels(m: EntityManager, tree: TreeConfig): Promise<void> {
    const wanted = [...new Set(tree.tiers.flatMap((t) => t.channelIds))].sort();
    const found = await m.getRepository(ChannelEntity).find({
      select: { id: true },
      where: { id: In(wanted) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_read' },
    });
    const existing = new Set(found.map((c) => c.id));
    const fields: FieldIssue[] = tree.tiers.flatMap((tier, i) =>
      tier.channelIds.flatMap((channelId, j) =>
        existing.has(channelId) ? [] : [{ field: `tiers.${i}.channelIds.${j}`, message: `no channel ${channelId}` }],
      ),
    );
    if (fields.length > 0) throw new PingtreeError('VALIDATION_FAILED', 'the tree refers to unknown channels', fields);
  }

  /** Locks the tree against deletion until the transaction ends. */
  private async requireTree(m: EntityManager, treeId: string): Promise<void> {
    const tree = await m.getRepository(TreeEntity).findOne({ where: { id: treeId }, lock: { mode: 'pessimistic_read' } });
    if (!tree) {
      throw new PingtreeError('VALIDATION_FAILED', 'the campaign refers to an unknown tree', [
        { field: 'treeId', message: `no tree ${treeId}` },
      ]);
    }
  }

  /** The unique index stays the last word under concurrency; this check keeps the common case off the error log. */
  private async requireFreeBuyerName(m: EntityManager, name: string, ownId: string | null): Promise<void> {
    const holder = await m.getRepository(BuyerEntity).findOne({ select: { id: true }, where: { name } });
    if (holder && holder.id !== ownId) throw duplicateBuyerName(name);
  }

  private async requireFreeKey(m: EntityManager, key: string, ownId: string | null): Promise<void> {
    const holder = await m.getRepository(CampaignEntity).findOne({ select: { id: true }, where: { key } });
    if (holder && holder.id !== ownId) throw duplicateKey(key, holder.id);
  }
}

function missingBuyer(buyerId: string): PingtreeError {
  return new PingtreeError('VALIDATION_FAILED', 'the channel refers to an unknown buyer', [
    { field: 'buyerId', message: `no buyer ${buyerId}` },
  ]);
}

function duplicateKey(key: string, holderId?: string): PingtreeError {
  return new PingtreeError('CONFLICT', `campaign key "${key}" is already used${holderId ? ` by campaign ${holderId}` : ''}`, [
    { field: 'key', message: 'must be unique' },
  ]);
}

function duplicateBuyerName(name: string): PingtreeError {
  return new PingtreeError('CONFLICT', `a buyer named "${name}" already exists`, [{ field: 'name', message: 'must be unique' }]);
}
