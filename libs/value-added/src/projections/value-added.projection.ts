import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import { CouponEvent, CouponEventTypes } from '../domain/coupon';
import { SubscriptionEvent, SubscriptionEventTypes as S } from '../domain/subscription';
import { TipEvent, TipEventTypes } from '../domain/tipping';
import { CouponView, SubscriptionView, TipView } from './read-models.entity';

/**
 * va_subscriptions (what the renewal job works through and investors list), va_tips and va_coupons. Each event sets
 * the row to what the event says, so a replay converges to the same rows.
 */
@Injectable()
@EventProjection()
export class ValueAddedProjection implements Projection {
  readonly name = 'value-added.read-models';
  readonly tables = ['va_subscriptions', 'va_tips', 'va_coupons'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      if (!recorded.type.startsWith('value-added.')) continue;
      await this.subscription(recorded as unknown as SubscriptionEvent, manager);
      await this.tip(recorded as unknown as TipEvent, manager);
      await this.coupon(recorded as unknown as CouponEvent, manager);
    }
  }

  private async subscription(event: SubscriptionEvent, manager: EntityManager): Promise<void> {
    const repo = manager.getRepository(SubscriptionView);
    const data = event.data;
    const at = new Date(data.at);
    const id = { subscriptionId: data.subscriptionId };
    switch (event.type) {
      case S.TrialStarted:
      case S.Requested: {
        const trial = event.type === S.TrialStarted;
        await repo.upsert(
          {
            subscriptionId: data.subscriptionId,
            investorId: data.investorId,
            listingId: data.listingId,
            kind: data.kind,
            plan: event.data.plan,
            status: trial ? 'trialing' : 'pending',
            periodStart: trial ? new Date(event.data.periodStart) : null,
            periodEnd: trial ? new Date(event.data.periodEnd) : null,
            cancelAtPeriodEnd: false,
            graceEndsAt: null,
            pendingPaymentId: trial ? null : event.data.paymentId,
            lastPaymentId: null,
            createdAt: at,
            updatedAt: at,
          },
          ['subscriptionId'],
        );
        return;
      }
      case S.Activated:
      case S.Renewed:
        await repo.update(id, {
          status: 'active',
          periodStart: new Date(event.data.periodStart),
          periodEnd: event.data.periodEnd === null ? null : new Date(event.data.periodEnd),
          pendingPaymentId: null,
          lastPaymentId: event.data.paymentId,
          graceEndsAt: null,
          updatedAt: at,
        });
        return;
      case S.InitialPaymentFailed:
        await repo.update(id, { status: 'canceled', pendingPaymentId: null, updatedAt: at });
        return;
      case S.RenewalRequested:
        await repo.update(id, { pendingPaymentId: event.data.paymentId, updatedAt: at });
        return;
      case S.RenewalPaymentFailed:
        await repo.update(id, { status: 'past_due', pendingPaymentId: null, graceEndsAt: new Date(event.data.graceEndsAt), updatedAt: at });
        return;
      case S.CancellationScheduled:
        await repo.update(id, { cancelAtPeriodEnd: true, updatedAt: at });
        return;
      case S.CancellationWithdrawn:
        await repo.update(id, { cancelAtPeriodEnd: false, updatedAt: at });
        return;
      case S.Canceled:
        await repo.update(id, { status: 'canceled', pendingPaymentId: null, updatedAt: at });
        return;
      case S.Expired:
        await repo.update(id, { status: 'expired', pendingPaymentId: null, updatedAt: at });
        return;
    }
  }

  private async tip(event: TipEvent, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case TipEventTypes.Sent:
        await manager.getRepository(TipView).upsert(
          {
            tipId: event.data.tipId,
            investorId: event.data.investorId,
            targetListingId: event.data.targetListingId,
            amountMinor: event.data.amountMinor,
            currency: event.data.currency,
            message: event.data.message,
            status: 'sent',
            paymentId: event.data.paymentId,
            businessDate: event.data.businessDate,
            createdAt: new Date(event.data.at),
          },
          ['tipId'],
        );
        return;
      case TipEventTypes.Paid:
      case TipEventTypes.Failed:
        await manager.getRepository(TipView).update({ tipId: event.data.tipId }, { status: event.type === TipEventTypes.Paid ? 'paid' : 'failed' });
        return;
    }
  }

  private async coupon(event: CouponEvent, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case CouponEventTypes.Issued:
        await manager
          .getRepository(CouponView)
          .upsert({ code: event.data.terms.code.toUpperCase(), terms: event.data.terms, redemptions: 0, issuedBy: event.data.by, issuedAt: new Date(event.data.at) }, ['code']);
        return;
      case CouponEventTypes.Redeemed:
        // Batches are applied once together with the checkpoint and a rebuild starts from an empty table, so counting up is exact.
        await manager.query(`UPDATE va_coupons SET redemptions = redemptions + 1 WHERE code = $1`, [event.data.code.toUpperCase()]);
        return;
    }
  }
}
