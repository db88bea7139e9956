export * from './domain/payment';
