import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CatalogModule } from '@app/catalog';
import { UserView } from '@app/identity';
import { PaymentsModule } from '@app/payments';
import { AggregateStore } from '@app/platform';
import { SUBSCRIPTION_STREAM_PREFIX } from './domain/subscription';
import { MarketController } from './api/market.controller';
import { SubscriptionsController } from './api/subscriptions.controller';
import { TipsAndCouponsController } from './api/tips-coupons.controller';
import { CancelSubscriptionHandler } from './application/commands/cancel-subscription/cancel-subscription.handler';
import { IssueCouponHandler } from './application/commands/issue-coupon/issue-coupon.handler';
import { SendTipHandler } from './application/commands/send-tip/send-tip.handler';
import { SubscribeHandler } from './application/commands/subscribe/subscribe.handler';
import { EntitlementGuard } from './application/entitlements/entitlement.guard';
import { EntitlementsService } from './application/entitlements/entitlements.service';
import { SubscriptionJobs } from './application/jobs/subscription-jobs';
import { PaymentOutcomes } from './application/payment-outcomes';
import { CouponView, SubscriptionView, TipView } from './projections/read-models.entity';
import { ValueAddedProjection } from './projections/value-added.projection';

@Module({
  imports: [CqrsModule, CatalogModule, PaymentsModule, TypeOrmModule.forFeature([SubscriptionView, TipView, CouponView, UserView])],
  controllers: [SubscriptionsController, TipsAndCouponsController, MarketController],
  providers: [
    SubscribeHandler,
    CancelSubscriptionHandler,
    SendTipHandler,
    IssueCouponHandler,
    PaymentOutcomes,
    SubscriptionJobs,
    EntitlementsService,
    EntitlementGuard,
    ValueAddedProjection,
  ],
  exports: [EntitlementsService, EntitlementGuard, SubscriptionJobs],
})
export class ValueAddedModule {
  constructor(aggregates: AggregateStore) {
    // Most subscriptions are an investor's first to the product: decided without reading the stream (see assumeUsuallyNew).
    aggregates.assumeUsuallyNew(SUBSCRIPTION_STREAM_PREFIX);
  }
}
