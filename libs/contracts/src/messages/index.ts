export * from './endpoint';
export * from './filter-check/filter-check.v1';
export * from './ping-dispatch/ping-dispatch.v1';
export * from './auction-select/auction-select.v1';
export * from './post-deliver/post-deliver.v1';
export * from './audit-trail/audit-trail.v1';
export * from './audit-report/audit-report.v1';
export * from './post-callback/post-callback.v1';
