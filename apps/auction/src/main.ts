import { startTelemetry } from '@pingtree/telemetry';
startTelemetry('auction');

import { runServiceMain } from '@pingtree/runtime';
import { AuctionModule } from './auction.module';

runServiceMain('auction', (env) => AuctionModule.forRoot(env));
