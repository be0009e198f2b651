import { startTelemetry } from '@pingtree/telemetry';
startTelemetry('post');

import { runServiceMain } from '@pingtree/runtime';
import { PostModule } from './post.module';

runServiceMain('post', (env) => PostModule.forRoot(env));
