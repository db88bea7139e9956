import { Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AdvisoryModule } from '@app/advisory';
import { AuditModule } from '@app/audit';
import { CatalogModule } from '@app/catalog';
import { AudienceQuery, GrowthModule } from '@app/growth';
import { MarketDataModule } from '@app/market-data';
import { AggregateStore, APP_CONFIG, AppConfig } from '@app/platform';
import { CampaignsController } from './api/campaigns.controller';
import { InvestorReachController, UnsubscribeController } from './api/investor-reach.controller';
import { CampaignRunner } from './application/campaign-runner';
import {
  CompleteCampaignHandler,
  CreateCampaignHandler,
  FanOutBatchHandler,
  StartCampaignHandler,
} from './application/commands/campaign.handlers';
import { SetChannelConsentHandler } from './application/commands/consent.handler';
import { OpenMessageHandler, ReportDeliveriesHandler, SendMessageHandler } from './application/commands/message.handlers';
import { DirectMessages } from './application/direct-messages';
import { GrowthAudienceModule, ReachAudience } from './application/reach-audience';
import { REACH_SETTINGS, reachSettings } from './application/reach-settings';
import { ReachCompliance } from './application/reach-compliance';
import { ReachQueries } from './application/reach.queries';
import { UnsubscribeTokens } from './application/unsubscribe-tokens';
import { CapCounters } from './infrastructure/cap-counters';
import { ChannelGateway, SandboxChannelGateway } from './infrastructure/channels';
import { ReachProjection } from './projections/reach.projection';

@Module({
  imports: [CqrsModule, AdvisoryModule, AuditModule, CatalogModule, GrowthModule, GrowthAudienceModule, MarketDataModule],
  controllers: [InvestorReachController, UnsubscribeController, CampaignsController],
  providers: [
    { provide: REACH_SETTINGS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => reachSettings(config) },
    SandboxChannelGateway,
    { provide: ChannelGateway, useExisting: SandboxChannelGateway },
    // Campaigns page their audience through reach's own AudienceQuery: growth's segments and community groups' members.
    ReachAudience,
    { provide: AudienceQuery, useExisting: ReachAudience },
    UnsubscribeTokens,
    CapCounters,
    ReachCompliance,
    ReachQueries,
    DirectMessages,
    CampaignRunner,
    ReachProjection,
    SetChannelConsentHandler,
    CreateCampaignHandler,
    StartCampaignHandler,
    FanOutBatchHandler,
    CompleteCampaignHandler,
    SendMessageHandler,
    OpenMessageHandler,
    ReportDeliveriesHandler,
  ],
  exports: [ReachAudience, ReachCompliance, CampaignRunner],
})
export class ReachModule implements OnModuleInit {
  constructor(private readonly aggregates: AggregateStore) {}

  onModuleInit(): void {
    // A fan-out batch and a direct message each start their stream.
    this.aggregates.assumeUsuallyNew('reach.batch-');
    this.aggregates.assumeUsuallyNew('reach.direct-');
  }
}
