import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { PaymentsModule } from '@app/payments';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { AdvisoryController, AdvisoryStaffController } from './api/advisory.controller';
import { ADVISORY_SETTINGS, AdvisorySettings, advisorySettings } from './application/advisory-settings';
import { ADVISORY_COMMAND_HANDLERS } from './application/commands';
import { ContactAttribution } from './application/contact-attribution';
import { AdvisoryPaymentOutcomes } from './application/payment-outcomes';
import { AdvisoryQueries } from './application/queries/advisory.queries';
import { AdvisoryReaders } from './application/readers';
import { ReratingProcess } from './application/rerating';
import { PgPiiVaultStore } from './infrastructure/pg-pii-vault-store';
import { PiiVault } from './infrastructure/pii-vault';
import { AdvisoryProjection } from './projections/advisory.projection';

@Module({
  imports: [CqrsModule, PaymentsModule],
  controllers: [AdvisoryController, AdvisoryStaffController],
  providers: [
    { provide: ADVISORY_SETTINGS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => advisorySettings(config) },
    {
      provide: PiiVault,
      inject: [DataSource, ADVISORY_SETTINGS],
      useFactory: (db: DataSource, settings: AdvisorySettings) => new PiiVault(new PgPiiVaultStore(db), settings.masterKeys),
    },
    AdvisoryReaders,
    AdvisoryQueries,
    ContactAttribution,
    ReratingProcess,
    AdvisoryPaymentOutcomes,
    AdvisoryProjection,
    ...ADVISORY_COMMAND_HANDLERS,
  ],
  exports: [PiiVault, AdvisoryQueries, ContactAttribution],
})
export class AdvisoryModule {}
