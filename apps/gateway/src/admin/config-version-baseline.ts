import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SYSTEM_AUTHOR } from '@pingtree/db';
import { AdminConfig } from './admin-config.service';

/** At boot, configuration written before the gateway started (the demo seed, a migration) gets its first version. */
@Injectable()
export class ConfigVersionBaseline implements OnApplicationBootstrap {
  private readonly logger = new Logger(ConfigVersionBaseline.name);

  constructor(private readonly config: AdminConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.config.versions
      .record(SYSTEM_AUTHOR)
      .catch((error: unknown) => this.logger.warn(`could not record configuration versions at boot: ${String(error)}`));
  }
}
