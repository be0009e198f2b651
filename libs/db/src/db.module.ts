import { Global, Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource } from './data-source';

@Injectable()
class DataSourceCloser implements OnApplicationShutdown {
  constructor(@Inject(DataSource) private readonly ds: DataSource) {}
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** Provides an initialised TypeORM DataSource. */
@Global()
@Module({})
export class DbModule {
  static forRoot(options: { url: string; service: string; poolSize?: number }): DynamicModule {
    return {
      module: DbModule,
      providers: [
        {
          provide: DataSource,
          useFactory: () =>
            createDataSource(options.url, {
              poolSize: options.poolSize,
              applicationName: `pingtree-${options.service}`,
            }).initialize(),
        },
        DataSourceCloser,
      ],
      exports: [DataSource],
    };
  }
}
