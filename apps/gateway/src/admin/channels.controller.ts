import { Body, Controller, Delete, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { channelConfigSchema } from '@pingtree/contracts';
import { maskChannelSecrets } from '@pingtree/crypto';
import { BuyerUrlPolicy } from '../security/buyer-url-policy';
import { AdminAuthor } from './admin-author';
import { AdminConfig } from './admin-config.service';
import { AdminGuard } from './admin.guard';
import { parseBody } from './parse-body';
import { found, IdPipe } from './parse-id';

/**
 * A buyer's endpoints. The buyer must exist; a channel used by a tree, or with delivery history,
 * can't be deleted (set `enabled: false` instead). URLs must be safe to call (BuyerUrlPolicy).
 * Credentials are stored encrypted and answered as "********"; sending that back keeps them.
 */
@Controller('v1/admin/channels')
@UseGuards(AdminGuard)
export class ChannelsController {
  constructor(
    private readonly config: AdminConfig,
    private readonly urls: BuyerUrlPolicy,
  ) {}

  @Post()
  async create(@Body() body: unknown, @AdminAuthor() author: string) {
    const channel = parseBody(channelConfigSchema, body, 'channel');
    this.urls.check(channel);
    return { id: await this.config.write(author, (store) => store.createChannel(channel)), ...maskChannelSecrets(channel) };
  }

  @Get()
  async list() {
    return { items: await this.config.store.listChannels() };
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    return found(await this.config.store.getChannel(id), 'channel', id);
  }

  @Put(':id')
  async update(@Param('id', IdPipe) id: string, @Body() body: unknown, @AdminAuthor() author: string) {
    const channel = parseBody(channelConfigSchema, await this.config.store.withStoredSecrets(id, body), 'channel');
    this.urls.check(channel);
    return this.config.write(author, (store) => store.updateChannel(id, channel));
  }

  @Delete(':id')
  remove(@Param('id', IdPipe) id: string, @AdminAuthor() author: string) {
    return this.config.write(author, (store) => store.deleteChannel(id));
  }
}
