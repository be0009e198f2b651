export * from './buyer-call.schema';
export * from './filter-rule.schema';
export * from './channel.schema';
export * from './tree.schema';
export * from './campaign.schema';
