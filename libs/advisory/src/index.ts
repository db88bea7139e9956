export * from './domain';
export * from './advisory.module';
