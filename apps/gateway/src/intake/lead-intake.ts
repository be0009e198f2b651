import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import {
  leadInputSchema,
  PingtreeError,
  VERTICAL_FIELDS,
  type Campaign,
  type LeadInput,
  type Supplier,
  type FieldIssue,
  type Tree,
  type PingLead,
} from '@pingtree/contracts';
import { fieldIssues } from '@pingtree/messaging';
import { nulFields } from '../admin/parse-body';
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

  /**
   * Checks the lead, its campaign and the campaign's vertical fields together, so one 422 names
   * every field the partner must fix, not just the first kind of mistake.
   */
  validate(body: unknown): AcceptedInput {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new PingtreeError('INVALID_REQUEST', 'body must be a JSON object');
    }
    const raw = body as Record<string, unknown>;
    const parsed = leadInputSchema.safeParse(body);
    const issues: FieldIssue[] = parsed.success ? [] : fieldIssues(parsed.error);
    // A NUL anywhere (city, supplierLeadId, a field) would fail the lead's insert with a 500: name it instead.
    issues.push(...nulFields(body));
    const campaignKey = parsed.success ? parsed.data.campaign : raw['campaign'];
    const campaign = typeof campaignKey === 'string' ? this.catalog.current.campaignByKey(campaignKey) : undefined;
    if (typeof campaignKey === 'string' && campaignKey !== '' && !campaign?.enabled) {
      issues.push({ field: 'campaign', message: `no active campaign "${campaignKey}"` });
    }
    let verticalFields: PingLead['fields'] = {};
    const rawFields = raw['fields'] ?? {};
    if (campaign?.enabled && typeof rawFields === 'object' && rawFields !== null && !Array.isArray(rawFields)) {
      const fields = VERTICAL_FIELDS[campaign.vertical].safeParse(rawFields);
      if (fields.success) verticalFields = fields.data as PingLead['fields'];
      else issues.push(...fieldIssues(fields.error, 'fields'));
    }
    if (issues.length > 0 || !parsed.success || !campaign) {
      throw new PingtreeError('VALIDATION_FAILED', 'lead failed validation', issues);
    }
    const tree = this.catalog.current.tree(campaign.treeId);
    if (!tree) throw new PingtreeError('CONFLICT', `campaign ${campaign.key} has no ping tree configured`);
    return { input: parsed.data, campaign, tree, verticalFields };
  }
}
