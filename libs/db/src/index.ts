export * from './entities';
export * from './migrations';
export * from './data-source';
export * from './db.module';
export * from './config-store';
export * from './config-versions';
export * from './config-diff';
export * from './prepared-statement';
