import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GrowthModule } from '@app/growth';
import { MarketDataModule } from '@app/market-data';
import { APP_CONFIG, AppConfig } from '@app/platform';
import { RewardsController } from './api/rewards.controller';
import { AwardCampaignPointsHandler, OpenBudgetHandler } from './application/commands/budgets.handler';
import { CheckInHandler } from './application/commands/check-in.handler';
import { RedeemPointsHandler } from './application/commands/redeem-points.handler';
import { ExpirePointsHandler, PredictHandler, SettleRoundHandler } from './application/commands/up-down.handler';
import { RewardsJobs } from './application/jobs/rewards-jobs';
import { RewardsQueries } from './application/queries/rewards.queries';
import { REWARDS_SETTINGS, loadRewardsSettings } from './application/rewards-settings';
import { RewardsProjection } from './projections/rewards.projection';

/**
 * Incentive tools and resources (seed 004; G5, G6): the points ledger, daily check-in, the up/down game, redemption
 * of points for value-added discounts, and campaign budgets. Activity comes from the growth context's ActivityQuery,
 * index closes from the market-data port.
 */
@Module({
  imports: [CqrsModule, GrowthModule, MarketDataModule],
  controllers: [RewardsController],
  providers: [
    { provide: REWARDS_SETTINGS, inject: [APP_CONFIG], useFactory: (config: AppConfig) => loadRewardsSettings(config.env) },
    CheckInHandler,
    OpenBudgetHandler,
    AwardCampaignPointsHandler,
    RedeemPointsHandler,
    PredictHandler,
    SettleRoundHandler,
    ExpirePointsHandler,
    RewardsQueries,
    RewardsJobs,
    RewardsProjection,
  ],
  exports: [RewardsJobs],
})
export class RewardsModule {}
