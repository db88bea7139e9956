/** The subscription stream's commands and events, and the plan and reference every event carries. */
import { DomainEvent } from '@app/common';
import { RecurringPeriod } from './periods';

export type SubscriptionStatus = 'pending' | 'trialing' | 'active' | 'past_due' | 'canceled' | 'expired';
export type RefundMode = 'none' | 'prorated' | 'full';

export interface PlanSnapshot {
  readonly planId: string;
  readonly priceMinor: number;
  readonly currency: string;
  readonly billingPeriod: RecurringPeriod | 'one_off';
  readonly trialDays?: number;
}

/** Who and what a subscription is about; carried on every event so read models need no joins. */
export interface SubscriptionRef {
  readonly subscriptionId: string;
  readonly investorId: string;
  readonly listingId: string;
  readonly kind: string;
}

interface Base {
  readonly subscriptionId: string;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

export type SubscriptionCommand =
  | (Base & {
      readonly type: 'Subscribe';
      readonly investorId: string;
      readonly listingId: string;
      readonly kind: string;
      readonly family: 'value_added' | 'advisory';
      readonly plan: PlanSnapshot;
      readonly paymentId: string;
      readonly coupon?: { readonly code: string; readonly discountMinor: number };
      /** The payment method token later charges use. */
      readonly paymentMethod?: string;
    })
  | (Base & { readonly type: 'ConfirmSubscriptionPayment'; readonly paymentId: string })
  | (Base & { readonly type: 'FailSubscriptionPayment'; readonly paymentId: string; readonly reason: string; readonly graceDays: number })
  | (Base & {
      readonly type: 'RequestRenewal';
      readonly periodStart: string;
      readonly paymentId: string;
      /** How long before the period starts it may be charged, so that a successful renewal leaves no gap in access. */
      readonly renewAheadMs: number;
    })
  | (Base & { readonly type: 'CancelAtPeriodEnd'; readonly actorId: string })
  | (Base & { readonly type: 'CancelImmediately'; readonly actorId: string; readonly refundMode: RefundMode; readonly refundId: string })
  | (Base & { readonly type: 'WithdrawCancellation'; readonly actorId: string })
  | (Base & { readonly type: 'ExpireSubscription' });

export const SubscriptionEventTypes = {
  Requested: 'value-added.SubscriptionRequested',
  TrialStarted: 'value-added.TrialStarted',
  Activated: 'value-added.SubscriptionActivated',
  InitialPaymentFailed: 'value-added.InitialPaymentFailed',
  RenewalRequested: 'value-added.RenewalRequested',
  Renewed: 'value-added.SubscriptionRenewed',
  RenewalPaymentFailed: 'value-added.RenewalPaymentFailed',
  CancellationScheduled: 'value-added.CancellationScheduled',
  CancellationWithdrawn: 'value-added.CancellationWithdrawn',
  Canceled: 'value-added.SubscriptionCanceled',
  Expired: 'value-added.SubscriptionExpired',
} as const;

type T = typeof SubscriptionEventTypes;
type Ref = SubscriptionRef & { at: string };
export type SubscriptionEvent =
  | DomainEvent<
      T['Requested'],
      Ref & {
        plan: PlanSnapshot;
        paymentId: string;
        amountMinor: number;
        currency: string;
        coupon?: { code: string; discountMinor: number };
        paymentMethod?: string;
        fillModelVersion?: string;
      }
    >
  | DomainEvent<
      T['TrialStarted'],
      Ref & {
        plan: PlanSnapshot;
        periodStart: string;
        periodEnd: string;
        coupon?: { code: string; discountMinor: number };
        paymentMethod?: string;
        fillModelVersion?: string;
      }
    >
  | DomainEvent<T['Activated'], Ref & { paymentId: string; amountMinor: number; periodStart: string; periodEnd: string | null }>
  | DomainEvent<T['InitialPaymentFailed'], Ref & { paymentId: string; reason: string }>
  | DomainEvent<
      T['RenewalRequested'],
      Ref & { paymentId: string; amountMinor: number; currency: string; periodIndex: number; periodStart: string; periodEnd: string }
    >
  | DomainEvent<T['Renewed'], Ref & { paymentId: string; amountMinor: number; periodIndex: number; periodStart: string; periodEnd: string }>
  | DomainEvent<T['RenewalPaymentFailed'], Ref & { paymentId: string; reason: string; periodStart: string; graceEndsAt: string }>
  | DomainEvent<T['CancellationScheduled'], Ref & { by: string; effectiveAt: string }>
  | DomainEvent<T['CancellationWithdrawn'], Ref & { by: string }>
  | DomainEvent<
      T['Canceled'],
      Ref & {
        by: string;
        refund: { mode: RefundMode; amountMinor: number; currency: string; paymentId: string | null; refundId: string | null };
      }
    >
  | DomainEvent<T['Expired'], Ref & { reason: 'canceled_at_period_end' | 'payment_failed'; endedAt: string }>;
