import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { channelConfigSchema, PingtreeError, treeConfigSchema } from '@pingtree/contracts';
import { cipherFromEnv, maskChannelChanges, maskChannelSecrets, openChannelSecrets } from '@pingtree/crypto';
import type { ConfigVersionWithDiff, VersionedKind } from '@pingtree/db';
import { BuyerUrlPolicy } from '../security/buyer-url-policy';
import { AdminAuthor } from './admin-author';
import { AdminConfig } from './admin-config.service';
import { AdminGuard } from './admin.guard';
import { parseBody } from './parse-body';
import { found, IdPipe } from './parse-id';

/** A channel version as operators see it: credentials masked in the config and in the diff. */
function masked(v: ConfigVersionWithDiff): ConfigVersionWithDiff {
  return { ...v, config: maskChannelSecrets(v.config), diff: maskChannelChanges(v.diff) };
}

function parseVersion(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 2_147_483_647)
    throw new PingtreeError('INVALID_REQUEST', 'version must be a positive integer');
  return n;
}

/**
 * Version history of trees and channels (every saved change, with author, time and diff) and
 * rollback: the chosen version is saved again through the normal write, so it is validated
 * against today's references (a channel deleted since is refused) and becomes the newest version.
 */
@Controller('v1/admin')
@UseGuards(AdminGuard)
export class ConfigVersionsController {
  constructor(
    private readonly config: AdminConfig,
    private readonly urls: BuyerUrlPolicy,
  ) {}

  @Get('trees/:id/versions')
  async treeVersions(@Param('id', IdPipe) id: string) {
    found(await this.config.store.getTree(id), 'tree', id);
    return { items: await this.config.versions.list('tree', id) };
  }

  @Get('channels/:id/versions')
  async channelVersions(@Param('id', IdPipe) id: string) {
    found(await this.config.store.getChannel(id), 'channel', id);
    return { items: (await this.config.versions.list('channel', id)).map(masked) };
  }

  @Post('trees/:id/versions/:version/rollback')
  @HttpCode(200)
  async rollbackTree(@Param('id', IdPipe) id: string, @Param('version') version: string, @AdminAuthor() author: string) {
    const n = parseVersion(version);
    const config = parseBody(treeConfigSchema, await this.stored('tree', id, n), `tree version ${n}`);
    await this.config.write(author, (store) => store.updateTree(id, config), `rollback to version ${n}`);
    return this.newest('tree', id, n);
  }

  @Post('channels/:id/versions/:version/rollback')
  @HttpCode(200)
  async rollbackChannel(@Param('id', IdPipe) id: string, @Param('version') version: string, @AdminAuthor() author: string) {
    const n = parseVersion(version);
    const config = parseBody(channelConfigSchema, this.decrypted(await this.stored('channel', id, n), n), `channel version ${n}`);
    this.urls.check(config);
    await this.config.write(author, (store) => store.updateChannel(id, config), `rollback to version ${n}`);
    return this.newest('channel', id, n);
  }

  private async stored(kind: VersionedKind, id: string, n: number): Promise<Record<string, unknown>> {
    const version = await this.config.versions.get(kind, id, n);
    if (!version) throw new PingtreeError('NOT_FOUND', `${kind} ${id} has no version ${n}`);
    return version.config;
  }

  /** Versions keep credentials as stored (encrypted); saving again needs them in the clear, in memory only. */
  private decrypted(config: Record<string, unknown>, n: number): Record<string, unknown> {
    try {
      return openChannelSecrets(config, cipherFromEnv());
    } catch {
      throw new PingtreeError(
        'CONFLICT',
        `version ${n}'s credentials can't be decrypted with the current keys; edit the channel instead`,
      );
    }
  }

  /** The version now in force; equal to `rolledBackTo` when nothing changed (it was already the current one). */
  private async newest(
    kind: VersionedKind,
    id: string,
    rolledBackTo: number,
  ): Promise<{ rolledBackTo: number; current: ConfigVersionWithDiff }> {
    const [current] = await this.config.versions.list(kind, id);
    return { rolledBackTo, current: kind === 'channel' ? masked(current!) : current! };
  }
}
