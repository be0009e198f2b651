import { startTelemetry } from '@pingtree/telemetry';
startTelemetry('ping');

import { runServiceMain } from '@pingtree/runtime';
import { PingModule } from './ping.module';

runServiceMain('ping', (env) => PingModule.forRoot(env));
