export * from './start-telemetry';
export * from './metrics';
