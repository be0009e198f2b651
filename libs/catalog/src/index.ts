export * from './catalog';
export * from './catalog-loader';
export * from './catalog.service';
export * from './catalog.module';
