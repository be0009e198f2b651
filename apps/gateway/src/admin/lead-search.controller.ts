import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { AdminGuard } from './admin.guard';
import { parseLeadSearch } from './lead-search.query';
import { LeadSearchRepository } from './lead-search.repository';

/**
 * `GET /v1/admin/leads?supplierId&campaignId&supplierLeadId&phone&email&state&channelId&from&to&limit&cursor`.
 * Phone and email are matched by their identity hashes; no contact data is ever listed.
 */
@Controller('v1/admin/leads')
@UseGuards(AdminGuard)
export class LeadSearchController {
  constructor(private readonly leads: LeadSearchRepository) {}

  @Get()
  search(@Query() query: Record<string, unknown>) {
    return this.leads.search(parseLeadSearch(query));
  }
}
