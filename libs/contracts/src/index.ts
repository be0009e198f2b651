export * from './errors';
export * from './headers';
export * from './subjects';
export * from './lead';
export * from './config';
export * from './messages';
export * from './events';
export * from './http-api';
