import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { ConfigStore, ConfigVersions, SYSTEM_AUTHOR } from '@pingtree/db';
import { DataSource } from 'typeorm';

/** The admin API's access to configuration: reads from the store, writes through it and announces every change. */
@Injectable()
export class AdminConfig {
  readonly store: ConfigStore;
  readonly versions: ConfigVersions;

  constructor(
    ds: DataSource,
    private readonly catalog: CatalogService,
  ) {
    this.store = new ConfigStore(ds);
    this.versions = new ConfigVersions(ds);
  }

  /**
   * Runs a write; once it succeeded, every changed tree and channel gets a new version by `author`
   * (the request's `x-admin-user`), and every service (this one first) reloads its catalog.
   */
  async write<T>(author: string, change: (store: ConfigStore) => Promise<T>, note: string | null = null): Promise<T> {
    // Changes made around the API (seed, scripts) become versions of their own first.
    await this.versions.record(SYSTEM_AUTHOR);
    const result = await change(this.store);
    await this.versions.record(author, note);
    await this.catalog.announceChange();
    return result;
  }
}
