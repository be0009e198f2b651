import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PingtreeError } from '@pingtree/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { AdminGuard } from './admin.guard';
import { parseBody } from './parse-body';
import { found, IdPipe } from './parse-id';
import { csvEntries } from './suppression-csv';
import { suppressionKeys } from './suppression-entries';
import { SuppressionListRepository } from './suppression.repository';

/** CSV uploads are the bulk path: far above the JSON body limit (some 200k phone and email rows). */
const CSV_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

const suppressionListSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100),
    kind: z.enum(['do_not_call', 'complaint', 'litigator', 'other']).default('do_not_call'),
    scope: z.enum(['global', 'campaign', 'buyer']),
    campaignId: z.uuid().optional(),
    buyerId: z.uuid().optional(),
  })
  .superRefine((list, ctx) => {
    const need = (field: 'campaignId' | 'buyerId', wanted: boolean) => {
      if (wanted && list[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `required for scope ${list.scope}` });
      if (!wanted && list[field] !== undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `not allowed for scope ${list.scope}` });
    };
    need('campaignId', list.scope === 'campaign');
    need('buyerId', list.scope === 'buyer');
  });

const jsonEntriesSchema = z.strictObject({
  entries: z.array(z.strictObject({ phone: z.string().max(100).optional(), email: z.string().max(300).optional() })),
});

/**
 * Do-not-call and similar lists, global or scoped to a campaign or a buyer. Entries are stored only
 * as sha256 hashes of the normalised phone or email; a lead on a list is excluded before any ping.
 * Entries come as JSON `{ entries: [{ phone, email }] }` or as `text/csv` with a header line.
 */
@Controller('v1/admin/suppression-lists')
@UseGuards(AdminGuard)
export class SuppressionController implements OnModuleInit {
  constructor(
    private readonly lists: SuppressionListRepository,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    if (fastify.hasContentTypeParser('text/csv')) return;
    fastify.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT_BYTES }, (_req, body, done) =>
      done(null, body),
    );
  }

  @Post()
  create(@Body() body: unknown) {
    return this.lists.create(parseBody(suppressionListSchema, body, 'suppression list'));
  }

  @Get()
  async list() {
    return { items: await this.lists.list() };
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    return found(await this.lists.get(id), 'suppression list', id);
  }

  @Delete(':id')
  async remove(@Param('id', IdPipe) id: string) {
    if (!(await this.lists.delete(id))) throw new PingtreeError('NOT_FOUND', `suppression list ${id} not found`);
    return { id, result: 'deleted' };
  }

  /** Adds entries; all of them or, if any row is invalid, none (422 naming each bad row and field). */
  @Post(':id/entries')
  @HttpCode(200)
  async addEntries(@Param('id', IdPipe) id: string, @Body() body: unknown) {
    let keys: string[];
    let received: number;
    if (typeof body === 'string') {
      const rows = csvEntries(body);
      keys = suppressionKeys(rows, (i, column) => (i < 0 ? 'body' : `line.${rows[i]!.line}.${column}`));
      received = rows.length;
    } else {
      const { entries } = parseBody(jsonEntriesSchema, body, 'suppression entries');
      keys = suppressionKeys(entries, (i, column) => (i < 0 ? 'entries' : `entries.${i}.${column}`));
      received = entries.length;
    }
    const added = await this.lists.addEntries(id, keys);
    return { id, received, hashes: keys.length, added, alreadyListed: keys.length - added };
  }
}
