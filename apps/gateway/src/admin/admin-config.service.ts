import { Injectable } from '@nestjs/common';
import { CatalogService } from '@pingtree/catalog';
import { ConfigStore } from '@pingtree/db';
import { DataSource } from 'typeorm';

/** The admin API's access to configuration: reads from the store, writes through it and announces every change. */
@Injectable()
export class AdminConfig {
  readonly store: ConfigStore;

  constructor(
    ds: DataSource,
    private readonly catalog: CatalogService,
  ) {
    this.store = new ConfigStore(ds);
  }

  /** Runs a write; once it succeeded, every service (this one first) reloads its catalog. */
  async write<T>(change: (store: ConfigStore) => Promise<T>): Promise<T> {
    const result = await change(this.store);
    await this.catalog.announceChange();
    return result;
  }
}
