export * from './domain/listing-kinds';
export * from './domain/listing';
export * from './catalog.module';
export * from './application/queries/catalog.queries';
export * from './projections/listing-view.entity';
