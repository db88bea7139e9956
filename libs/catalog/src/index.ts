export * from './domain/content-guard';
