export * from './dot-path';
export * from './field-transforms';
export * from './request-builder';
export * from './answer-locator';
export * from './response-reader';
export * from './buyer-http.client';
export * from './redact-secrets';
export * from './storable-text';
