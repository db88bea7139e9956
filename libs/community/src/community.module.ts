import { Inject, Module, OnModuleInit } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AdvisoryModule } from '@app/advisory';
import { GrowthModule } from '@app/growth';
import { UserView } from '@app/identity';
import { PaymentsModule, PaymentsService } from '@app/payments';
import { ReachAudience, ReachModule } from '@app/reach';
import { APP_CONFIG, AggregateStore, AppConfig } from '@app/platform';
import { ValueAddedModule } from '@app/value-added';
import { CommunityController } from './api/community.controller';
import { COMMUNITY_COMMAND_HANDLERS, PayoutRedriver, PayoutSettlement } from './application/commands';
import { CommunityActivity, HostCampaigns } from './application/growth-hooks';
import { ReachHostCampaigns } from './application/host-campaigns';
import { CommunityQueries } from './application/queries';
import { CommunityReads } from './application/reads';
import { COMMUNITY_SETTINGS, CommunitySettings, communitySettings } from './application/settings';
import { tipOutcomeCommands, tipRefundCommands } from './application/tip-outcomes';
import { CommunityProjection } from './projections/community.projection';

@Module({
  imports: [CqrsModule, PaymentsModule, ValueAddedModule, AdvisoryModule, GrowthModule, ReachModule, TypeOrmModule.forFeature([UserView])],
  controllers: [CommunityController],
  providers: [
    { provide: COMMUNITY_SETTINGS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => communitySettings(config) },
    CommunityReads,
    CommunityQueries,
    CommunityActivity,
    { provide: HostCampaigns, useClass: ReachHostCampaigns },
    CommunityProjection,
    PayoutSettlement,
    PayoutRedriver,
    ...COMMUNITY_COMMAND_HANDLERS,
  ],
  exports: [PayoutRedriver],
})
export class CommunityModule implements OnModuleInit {
  constructor(
    private readonly payments: PaymentsService,
    private readonly aggregates: AggregateStore,
    private readonly audience: ReachAudience,
    private readonly reads: CommunityReads,
    @Inject(COMMUNITY_SETTINGS) private readonly settings: CommunitySettings,
  ) {}

  onModuleInit(): void {
    // Posts and live sessions start their streams.
    this.aggregates.assumeUsuallyNew('community.post-');
    this.aggregates.assumeUsuallyNew('community.live-');
    this.payments.onOutcome(['community_tip'], (outcome, context) => tipOutcomeCommands(outcome, context, this.settings.share));
    this.payments.onRefund(['community_tip'], (refund, context) => tipRefundCommands(refund, context));
    // Reach's `group_members` audience: the group's current members (hosts' campaigns, G1–G4 applied by reach).
    this.audience.registerGroupMembers(
      (groupId, _asOf, after, limit) => this.reads.membersPage(groupId, after, limit),
      (groupId) => this.reads.groupExists(groupId),
    );
  }
}
