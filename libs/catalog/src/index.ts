export * from './domain/content-guard';
export * from './domain/listing-kinds';
export * from './domain/listing';
