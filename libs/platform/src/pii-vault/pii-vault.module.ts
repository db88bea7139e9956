/** Wiring of the process's one personal-data vault: its master keys from configuration and its PostgreSQL store. */
import { Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigError, persistentSecret } from '../config';
import { APP_CONFIG } from '../tokens';
import { PgPiiVaultStore } from './pg-pii-vault-store';
import { MasterKeyRing, parseMasterKeys, PiiVault } from './pii-vault';

/**
 * The master keys: PII_MASTER_KEYS / PII_MASTER_KEY_ID for rotation, or one PII_MASTER_KEY (base64 of 32 bytes; see
 * `parseMasterKeys`). Without them a key is generated once into the data folder, for the embedded server only
 * (`loadConfig` refuses to start without one otherwise).
 */
export const piiMasterKeys = (config: Pick<AppConfig, 'env' | 'dataDir'>): MasterKeyRing => {
  const problems: string[] = [];
  const ring = parseMasterKeys(config.env, () => persistentSecret(config.dataDir, 'pii-master.key'), problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return ring;
};

/** The one personal-data vault of the process, shared by every context that keeps personal data (identity, advisory). */
@Module({
  providers: [
    {
      provide: PiiVault,
      inject: [DataSource, APP_CONFIG],
      useFactory: (db: DataSource, config: AppConfig) => new PiiVault(new PgPiiVaultStore(db), piiMasterKeys(config)),
    },
  ],
  exports: [PiiVault],
})
export class PiiVaultModule {}
