import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError, persistentSecret } from '../config';
import { APP_CONFIG } from '../tokens';
import { PgPiiVaultStore } from './pg-pii-vault-store';
import { PiiVault } from './pii-vault';

/**
 * PII_MASTER_KEY: base64 of 32 bytes. Without it a key is generated once into the data folder, which suits development
 * only.
 */
export const piiMasterKey = (config: Pick<AppConfig, 'env' | 'dataDir'>): Buffer => {
  const key = Buffer.from(config.env.PII_MASTER_KEY || persistentSecret(config.dataDir, 'pii-master.key'), 'base64');
  if (key.length !== 32) throw new ConfigError(['PII_MASTER_KEY: expected 32 bytes, base64-encoded']);
  return key;
};

/** The one personal-data vault of the process, shared by every context that keeps personal data (identity, advisory). */
@Module({
  providers: [{ provide: PiiVault, inject: [DataSource, APP_CONFIG], useFactory: (db: DataSource, config: AppConfig) => new PiiVault(new PgPiiVaultStore(db), piiMasterKey(config)) }],
  exports: [PiiVault],
})
export class PiiVaultModule {}
