import { BuyerEntity } from './buyer.entity';
import { CampaignEntity } from './campaign.entity';
import { ChannelEntity } from './channel.entity';
import { DedupeKeyEntity } from './dedupe-key.entity';
import { LeadEventEntity } from './lead-event.entity';
import { LeadEntity } from './lead.entity';
import { LeadOfferEntity } from './lead-offer.entity';
import { PostAttemptEntity } from './post-attempt.entity';
import { SupplierEntity } from './supplier.entity';
import { TreeEntity } from './tree.entity';
import { BuyerSaleEntity, buyerSaleInsertSql, recordBuyerSale } from './buyer-sale.entity';
import { SuppressionEntryEntity } from './suppression-entry.entity';
import { SuppressionListEntity, type SuppressionScope } from './suppression-list.entity';

export {
  BuyerEntity,
  CampaignEntity,
  ChannelEntity,
  DedupeKeyEntity,
  LeadEventEntity,
  LeadEntity,
  LeadOfferEntity,
  PostAttemptEntity,
  SupplierEntity,
  TreeEntity,
  BuyerSaleEntity,
  buyerSaleInsertSql,
  recordBuyerSale,
  SuppressionEntryEntity,
  SuppressionListEntity,
  type SuppressionScope,
};

export const ENTITIES = [
  SupplierEntity,
  BuyerEntity,
  ChannelEntity,
  TreeEntity,
  CampaignEntity,
  LeadEntity,
  DedupeKeyEntity,
  PostAttemptEntity,
  LeadEventEntity,
  LeadOfferEntity,
  BuyerSaleEntity,
  SuppressionListEntity,
  SuppressionEntryEntity,
];
