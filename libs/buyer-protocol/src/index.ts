export * from './dot-path';
export * from './request-builder';
export * from './response-reader';
export * from './buyer-http.client';
