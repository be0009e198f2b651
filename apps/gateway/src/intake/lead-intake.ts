import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import {
  leadInputSchema,
  PingtreeError,
  VERTICAL_FIELDS,
  type Campaign,
  type LeadInput,
  type Supplier,
  type Tree,
  type PingLead,
} from '@pingtree/contracts';
import { fieldIssues } from '@pingtree/messaging';
import { hashApiKey } from './api-key';

export interface AcceptedInput {
  input: LeadInput;
  campaign: Campaign;
  tree: Tree;
  verticalFields: PingLead['fields'];
}

/** Authentication and validation at the edge: every failure names what the partner must fix. */
@Injectable()
export class LeadIntake {
  constructor(private readonly catalog: CatalogService) {}

  authenticate(apiKey: string | undefined): Supplier {
    if (!apiKey) throw new PingtreeError('UNAUTHORIZED', 'missing x-api-key header');
    const supplier = this.catalog.current.supplierByKeyHash(hashApiKey(apiKey));
    if (!supplier) throw new PingtreeError('UNAUTHORIZED', 'unknown or revoked API key');
    return supplier;
  }

  validate(body: unknown): AcceptedInput {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new PingtreeError('INVALID_REQUEST', 'body must be a JSON object');
    }
    const parsed = leadInputSchema.safeParse(body);
    if (!parsed.success) throw new PingtreeError('VALIDATION_FAILED', 'lead failed validation', fieldIssues(parsed.error));
    const input = parsed.data;
    const campaign = this.catalog.current.campaignByKey(input.campaign);
    if (!campaign?.enabled) {
      throw new PingtreeError('VALIDATION_FAILED', 'unknown campaign', [
        { field: 'campaign', message: `no active campaign "${input.campaign}"` },
      ]);
    }
    const tree = this.catalog.current.tree(campaign.treeId);
    if (!tree) throw new PingtreeError('CONFLICT', `campaign ${campaign.key} has no ping tree configured`);
    const fields = VERTICAL_FIELDS[campaign.vertical].safeParse(input.fields);
    if (!fields.success) {
      throw new PingtreeError(
        'VALIDATION_FAILED',
        `fields do not match vertical ${campaign.vertical}`,
        fieldIssues(fields.error, 'fields'),
      );
    }
    return { input, campaign, tree, verticalFields: fields.data as PingLead['fields'] };
  }
}
