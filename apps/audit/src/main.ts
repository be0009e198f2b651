import { startTelemetry } from '@pingtree/telemetry';
startTelemetry('audit');

import { runServiceMain } from '@pingtree/runtime';
import { AuditModule } from './audit.module';

runServiceMain('audit', (env) => AuditModule.forRoot(env));
