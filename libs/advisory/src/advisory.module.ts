import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { PaymentsModule } from '@app/payments';
import { APP_CONFIG, AppConfig, PiiVaultModule } from '@app/platform';
import { AdvisoryController, AdvisoryStaffController } from './api/advisory.controller';
import { DocumentsController } from './api/documents.controller';
import { AdviceRecords } from './application/advice-records';
import { ADVISORY_SETTINGS, advisorySettings } from './application/advisory-settings';
import { ADVISORY_COMMAND_HANDLERS } from './application/commands';
import { ContactAttribution } from './application/contact-attribution';
import { AdvisoryPaymentOutcomes } from './application/payment-outcomes';
import { AdvisoryQueries } from './application/queries/advisory.queries';
import { AdvisoryReaders } from './application/readers';
import { RerateSubscriberHandler, ReratingReactor } from './application/reactors/rerating.reactor';
import { AdvisoryProjection } from './projections/advisory.projection';

@Module({
  imports: [CqrsModule, PaymentsModule, PiiVaultModule],
  controllers: [AdvisoryController, AdvisoryStaffController, DocumentsController],
  providers: [
    { provide: ADVISORY_SETTINGS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => advisorySettings(config) },
    AdvisoryReaders,
    AdvisoryQueries,
    ContactAttribution,
    AdviceRecords,
    ReratingReactor,
    RerateSubscriberHandler,
    AdvisoryPaymentOutcomes,
    AdvisoryProjection,
    ...ADVISORY_COMMAND_HANDLERS,
  ],
  exports: [AdvisoryQueries, ContactAttribution, AdviceRecords],
})
export class AdvisoryModule {}
