export * from './encryption-keys';
export * from './field-cipher';
export * from './lead-fields';
export * from './channel-secrets';
