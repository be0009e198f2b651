export * from './normalise';
export * from './verticals';
export * from './lead-input.schema';
export * from './field-classes';
export * from './ping-lead.schema';
export * from './lead-state';
