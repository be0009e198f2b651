export * from './env';
export * from './health.controller';
export * from './start-service';
export * from './run-service-main';
export * from './metrics.controller';
export * from './periodic-task';
export * from './event-loop-lag';
