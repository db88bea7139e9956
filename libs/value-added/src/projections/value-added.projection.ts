import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection, Row, RowTable, foldRows } from '@app/platform';
import { CouponEvent, CouponEventTypes } from '../domain/coupon';
import { SubscriptionEvent, SubscriptionEventTypes as S } from '../domain/subscription';
import { TipEvent, TipEventTypes } from '../domain/tipping';
import { CouponView, TipView } from './read-models.entity';

const subscriptionTypes = new Set<string>(Object.values(S));

/** va_subscriptions, one row per subscription; each event sets what it says, so a replay converges to the same rows. */
export const subscriptionsTable: RowTable<SubscriptionEvent> = {
  name: 'va_subscriptions',
  key: 'subscription_id',
  keyOf: (event) => (subscriptionTypes.has(event.type) ? event.data.subscriptionId : undefined),
  reduce: (row, event): Row | undefined => {
    const at = event.data.at;
    if (event.type === S.TrialStarted || event.type === S.Requested) {
      const trial = event.type === S.TrialStarted;
      const d = event.data;
      return {
        subscription_id: d.subscriptionId,
        investor_id: d.investorId,
        listing_id: d.listingId,
        kind: d.kind,
        plan: d.plan,
        status: trial ? 'trialing' : 'pending',
        period_start: trial ? event.data.periodStart : null,
        period_end: trial ? event.data.periodEnd : null,
        cancel_at_period_end: false,
        grace_ends_at: null,
        pending_payment_id: trial ? null : event.data.paymentId,
        last_payment_id: null,
        created_at: at,
        updated_at: at,
      };
    }
    if (!row) return undefined;
    switch (event.type) {
      case S.Activated:
      case S.Renewed:
        return {
          ...row,
          status: 'active',
          period_start: event.data.periodStart,
          period_end: event.data.periodEnd,
          pending_payment_id: null,
          last_payment_id: event.data.paymentId,
          grace_ends_at: null,
          updated_at: at,
        };
      case S.InitialPaymentFailed:
      case S.Canceled:
        return { ...row, status: 'canceled', pending_payment_id: null, updated_at: at };
      case S.RenewalRequested:
        return { ...row, pending_payment_id: event.data.paymentId, updated_at: at };
      case S.RenewalPaymentFailed:
        return { ...row, status: 'past_due', pending_payment_id: null, grace_ends_at: event.data.graceEndsAt, updated_at: at };
      case S.CancellationScheduled:
        return { ...row, cancel_at_period_end: true, updated_at: at };
      case S.CancellationWithdrawn:
        return { ...row, cancel_at_period_end: false, updated_at: at };
      case S.Expired:
        return { ...row, status: 'expired', pending_payment_id: null, updated_at: at };
    }
    return row;
  },
};

/** va_subscriptions (what the renewal job works through and investors list), va_tips and va_coupons. */
@Injectable()
@EventProjection()
export class ValueAddedProjection implements Projection {
  readonly name = 'value-added.read-models';
  readonly tables = ['va_subscriptions', 'va_tips', 'va_coupons'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    await foldRows(manager, subscriptionsTable, events);
    // Tips and coupons are rare next to subscriptions: one statement per event is fine for them.
    for (const recorded of events) {
      if (!recorded.type.startsWith('value-added.') || subscriptionTypes.has(recorded.type)) continue;
      await this.tip(recorded as unknown as TipEvent, manager);
      await this.coupon(recorded as unknown as CouponEvent, manager);
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
        await manager
          .getRepository(TipView)
          .update({ tipId: event.data.tipId }, { status: event.type === TipEventTypes.Paid ? 'paid' : 'failed' });
        return;
    }
  }

  private async coupon(event: CouponEvent, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case CouponEventTypes.Issued:
        await manager.getRepository(CouponView).upsert(
          {
            code: event.data.terms.code.toUpperCase(),
            terms: event.data.terms,
            redemptions: 0,
            issuedBy: event.data.by,
            issuedAt: new Date(event.data.at),
          },
          ['code'],
        );
        return;
      case CouponEventTypes.Redeemed:
        // Batches are applied once together with the checkpoint and a rebuild starts from an empty table, so counting up is exact.
        await manager.query(`UPDATE va_coupons SET redemptions = redemptions + 1 WHERE code = $1`, [event.data.code.toUpperCase()]);
        return;
    }
  }
}
