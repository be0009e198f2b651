import { Body, Controller, Delete, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { treeConfigSchema } from '@pingtree/contracts';
import { AdminAuthor } from './admin-author';
import { AdminConfig } from './admin-config.service';
import { AdminGuard } from './admin.guard';
import { parseBody } from './parse-body';
import { found, IdPipe } from './parse-id';

/** Ping trees. Tier rules come from the schema; every channel id must exist; a tree a campaign uses can't be deleted. */
@Controller('v1/admin/trees')
@UseGuards(AdminGuard)
export class TreesController {
  constructor(private readonly config: AdminConfig) {}

  @Post()
  async create(@Body() body: unknown, @AdminAuthor() author: string) {
    const tree = parseBody(treeConfigSchema, body, 'tree');
    return { id: await this.config.write(author, (store) => store.createTree(tree)), ...tree };
  }

  @Get()
  async list() {
    return { items: await this.config.store.listTrees() };
  }

  @Get(':id')
  async get(@Param('id', IdPipe) id: string) {
    return found(await this.config.store.getTree(id), 'tree', id);
  }

  @Put(':id')
  update(@Param('id', IdPipe) id: string, @Body() body: unknown, @AdminAuthor() author: string) {
    const tree = parseBody(treeConfigSchema, body, 'tree');
    return this.config.write(author, (store) => store.updateTree(id, tree));
  }

  @Delete(':id')
  remove(@Param('id', IdPipe) id: string, @AdminAuthor() author: string) {
    return this.config.write(author, (store) => store.deleteTree(id));
  }
}
