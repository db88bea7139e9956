import { DynamicModule, Module } from '@nestjs/common';
import { AdvisoryModule } from '@app/advisory';
import { AuditModule } from '@app/audit';
import { CatalogModule } from '@app/catalog';
import { CommunityModule } from '@app/community';
import { GrowthModule } from '@app/growth';
import { RewardsModule } from '@app/rewards';
import { PaymentsModule } from '@app/payments';
import { ReachModule } from '@app/reach';
import { ValueAddedModule } from '@app/value-added';
import { IdentityModule } from '@app/identity';
import { PlatformModule, PlatformOptions } from '@app/platform';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';

/** Wiring only: the platform, then one module per bounded context. */
@Module({})
export class AppModule {
  static forRoot(options: PlatformOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(options),
        IdentityModule,
        AuditModule,
        CatalogModule,
        AdvisoryModule,
        PaymentsModule,
        ValueAddedModule,
        GrowthModule,
        ReachModule,
        RewardsModule,
        CommunityModule,
      ],
      controllers: [HealthController, MetricsController],
    };
  }
}
