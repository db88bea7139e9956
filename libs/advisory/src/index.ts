export * from './domain';
export * from './advisory.module';
export { PiiVault, PiiVaultStore, InMemoryPiiVaultStore } from './infrastructure/pii-vault';
