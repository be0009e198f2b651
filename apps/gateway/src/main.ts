import { startTelemetry } from '@pingtree/telemetry';
startTelemetry('gateway');

import { runServiceMain } from '@pingtree/runtime';
import { GatewayModule } from './gateway.module';

runServiceMain('gateway', (env) => GatewayModule.forRoot(env));
