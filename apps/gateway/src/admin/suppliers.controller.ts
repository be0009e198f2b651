import { Body, Controller, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { supplierConfigSchema } from '@pingtree/contracts';
import { z } from 'zod';
import { AdminAuthor } from './admin-author';
import { AdminConfig } from './admin-config.service';
import { AdminGuard } from './admin.guard';
import { parseBody } from './parse-body';
import { found, IdPipe } from './parse-id';

/** What numeric(12,2) holds. */
const MAX_PRICE_FLOOR = 9_999_999_999;
const priceFloor = z.number().min(0).max(MAX_PRICE_FLOOR);

const supplierCreateSchema = supplierConfigSchema.extend({ priceFloor: priceFloor.default(0) });

const supplierPatchSchema = z
  .strictObject({
    name: supplierConfigSchema.shape.name.optional(),
    priceFloor: priceFloor.optional(),
    enabled: z.boolean().optional(),
    /** null removes the limit. */
    rateLimitPerSecond: supplierConfigSchema.shape.rateLimitPerSecond.unwrap().nullable().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, {
    message: 'nothing to update: send name, priceFloor, enabled or rateLimitPerSecond',
  });

/**
 * Partners that post leads. The API key is random, shown once (on create and on rotation) and
 * stored only as its hash; no answer ever carries the hash.
 */
@Controller('v1/admin/suppliers')
@UseGuards(AdminGuard)
export class SuppliersController {
  constructor(private readonly config: AdminConfig) {}

  @Post()
  create(@Body() body: unknown, @AdminAuthor() author: string) {
    const supplier = parseBody(supplierCreateSchema, body, 'supplier');
    return this.config.write(author, (store) => store.createSupplier(supplier));
  }

  @Get()
  async list() {
    return { items: await this.config.store.listSuppliers() };
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    return found(await this.config.store.getSupplier(id), 'supplier', id);
  }

  @Patch(':id')
  update(@Param('id', IdPipe) id: string, @Body() body: unknown, @AdminAuthor() author: string) {
    const patch = parseBody(supplierPatchSchema, body, 'supplier update');
    return this.config.write(author, (store) => store.updateSupplier(id, patch));
  }

  /** A new key, shown once; the old key stops working as soon as the services have reloaded. */
  @Post(':id/rotate-key')
  @HttpCode(200)
  rotateKey(@Param('id', IdPipe) id: string, @AdminAuthor() author: string) {
    return this.config.write(author, (store) => store.rotateSupplierKey(id));
  }
}
