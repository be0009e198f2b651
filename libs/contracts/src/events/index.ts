export * from './lead-event.schema';
