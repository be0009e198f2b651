import { Body, Controller, Delete, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { campaignConfigSchema } from '@pingtree/contracts';
import { AdminAuthor } from './admin-author';
import { AdminConfig } from './admin-config.service';
import { AdminGuard } from './admin.guard';
import { parseBody } from './parse-body';
import { found, IdPipe } from './parse-id';

/**
 * What partners post into. The tree must exist and the key must be unique (409). DELETE removes a
 * campaign no lead refers to; one with leads is disabled instead, and the answer says so
 * (`result: "disabled"` and a message).
 */
@Controller('v1/admin/campaigns')
@UseGuards(AdminGuard)
export class CampaignsController {
  constructor(private readonly config: AdminConfig) {}

  @Post()
  async create(@Body() body: unknown, @AdminAuthor() author: string) {
    const campaign = parseBody(campaignConfigSchema, body, 'campaign');
    return { id: await this.config.write(author, (store) => store.createCampaign(campaign)), ...campaign };
  }

  @Get()
  async list() {
    return { items: await this.config.store.listCampaigns() };
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    return found(await this.config.store.getCampaign(id), 'campaign', id);
  }

  @Put(':id')
  update(@Param('id', IdPipe) id: string, @Body() body: unknown, @AdminAuthor() author: string) {
    const campaign = parseBody(campaignConfigSchema, body, 'campaign');
    return this.config.write(author, (store) => store.updateCampaign(id, campaign));
  }

  @Delete(':id')
  remove(@Param('id', IdPipe) id: string, @AdminAuthor() author: string) {
    return this.config.write(author, (store) => store.deleteCampaign(id));
  }
}
