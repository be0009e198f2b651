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
];
