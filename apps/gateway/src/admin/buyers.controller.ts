import { Body, Controller, Delete, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { buyerConfigSchema } from '@pingtree/contracts';
import { AdminAuthor } from './admin-author';
import { AdminConfig } from './admin-config.service';
import { AdminGuard } from './admin.guard';
import { parseBody } from './parse-body';
import { found, IdPipe } from './parse-id';

/** Advertisers; each owns channels. A buyer with channels can't be deleted. */
@Controller('v1/admin/buyers')
@UseGuards(AdminGuard)
export class BuyersController {
  constructor(private readonly config: AdminConfig) {}

  @Post()
  async create(@Body() body: unknown, @AdminAuthor() author: string) {
    const buyer = parseBody(buyerConfigSchema, body, 'buyer');
    return { id: await this.config.write(author, (store) => store.createBuyer(buyer)), ...buyer };
  }

  @Get()
  async list() {
    return { items: await this.config.store.listBuyers() };
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    return found(await this.config.store.getBuyer(id), 'buyer', id);
  }

  @Put(':id')
  update(@Param('id', IdPipe) id: string, @Body() body: unknown, @AdminAuthor() author: string) {
    const buyer = parseBody(buyerConfigSchema, body, 'buyer');
    return this.config.write(author, (store) => store.updateBuyer(id, buyer));
  }

  @Delete(':id')
  remove(@Param('id', IdPipe) id: string, @AdminAuthor() author: string) {
    return this.config.write(author, (store) => store.deleteBuyer(id));
  }
}
