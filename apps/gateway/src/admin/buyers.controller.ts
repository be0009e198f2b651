import { Body, Controller, Delete, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { buyerConfigSchema } from '@pingtree/contracts';
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
  async create(@Body() body: unknown) {
    const buyer = parseBody(buyerConfigSchema, body, 'buyer');
    return { id: await this.config.write((store) => store.createBuyer(buyer)), ...buyer };
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
  update(@Param('id', IdPipe) id: string, @Body() body: unknown) {
    const buyer = parseBody(buyerConfigSchema, body, 'buyer');
    return this.config.write((store) => store.updateBuyer(id, buyer));
  }

  @Delete(':id')
  remove(@Param('id', IdPipe) id: string) {
    return this.config.write((store) => store.deleteBuyer(id));
  }
}
