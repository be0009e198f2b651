export * from './test-infra';
export * from './test-stack';
export * from './demo-lead';
export * from './gateway-client';
export * from './fuzz';
export * from './lead-events';
