import { startTelemetry } from '@pingtree/telemetry';
startTelemetry('filter');

import { runServiceMain } from '@pingtree/runtime';
import { FilterModule } from './filter.module';

runServiceMain('filter', (env) => FilterModule.forRoot(env));
