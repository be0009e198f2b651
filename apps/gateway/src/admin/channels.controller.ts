import { Body, Controller, Delete, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { channelConfigSchema } from '@pingtree/contracts';
import { AdminConfig } from './admin-config.service';
import { AdminGuard } from './admin.guard';
import { parseBody } from './parse-body';
import { found, IdPipe } from './parse-id';

/**
 * A buyer's endpoints. The buyer must exist; a channel used by a tree, or with delivery history,
 * can't be deleted (set `enabled: false` instead).
 */
@Controller('v1/admin/channels')
@UseGuards(AdminGuard)
export class ChannelsController {
  constructor(private readonly config: AdminConfig) {}

  @Post()
  async create(@Body() body: unknown) {
    const channel = parseBody(channelConfigSchema, body, 'channel');
    return { id: await this.config.write((store) => store.createChannel(channel)), ...channel };
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
  update(@Param('id', IdPipe) id: string, @Body() body: unknown) {
    const channel = parseBody(channelConfigSchema, body, 'channel');
    return this.config.write((store) => store.updateChannel(id, channel));
  }

  @Delete(':id')
  remove(@Param('id', IdPipe) id: string) {
    return this.config.write((store) => store.deleteChannel(id));
  }
}
