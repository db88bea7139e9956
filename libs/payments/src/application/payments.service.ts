import { Inject, Injectable } from '@nestjs/common';
import { Clock, CommandContext, DomainError, IdGenerator, Money, forbidden, notFound } from '@app/common';
import { AggregateStore, FollowOn, KeyedQueue, followOn } from '@app/platform';
import {
  PaymentCommand,
  PaymentEvent,
  PaymentEventTypes,
  PaymentPurpose,
  PaymentState,
  paymentDecider,
  paymentStreamId,
} from '../domain/payment';
import { GatewayNotification, PaymentGateway } from '../infrastructure/payment-gateway';
import { verifyNotification } from '../infrastructure/notification-signature';
import { PAYMENTS_SECRET } from '../infrastructure/tokens';

export interface PaymentOutcome {
  readonly paymentId: string;
  readonly payerId: string;
  readonly purpose: PaymentPurpose;
  readonly referenceId: string;
  readonly status: 'captured' | 'failed';
  readonly reason?: string;
  /** What was requested (set by the service; optional so that listeners' tests need not build it). */
  readonly amount?: Money;
}

/**
 * Reacts to a settled payment (e.g. activates a subscription): the commands it gives are decided by the unit of work
 * and appended by the statement that records the settlement, so neither is ever stored without the other.
 */
export type OutcomeListener = (outcome: PaymentOutcome, context: CommandContext) => readonly FollowOn[];

/** A refund the provider completed, for the context that took the payment (community reverses a host's share). */
export interface RefundOutcome {
  readonly paymentId: string;
  readonly payerId: string;
  readonly purpose: PaymentPurpose;
  readonly referenceId: string;
  readonly refundId: string;
  readonly amountMinor: number;
}

/** Like OutcomeListener, for completed refunds: its commands are appended by the statement recording the refund. */
export type RefundListener = (refund: RefundOutcome, context: CommandContext) => readonly FollowOn[];

export interface PaymentRequest {
  readonly paymentId: string;
  readonly payerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly purpose: PaymentPurpose;
  readonly referenceId: string;
  readonly method: string;
}

/** A settlement learnt by asking the provider (see `reconcile`). */
export type Reconciled =
  | { readonly type: 'AuthorisePayment'; readonly gatewayReference: string }
  | { readonly type: 'CapturePayment'; readonly gatewayReference: string; readonly amountMinor: number }
  | { readonly type: 'FailPayment'; readonly reason: string }
  | { readonly type: 'CompleteRefund'; readonly refundId: string }
  | { readonly type: 'FailRefund'; readonly refundId: string; readonly reason: string };

const MAX_NOTIFICATION_AGE_MS = 10 * 60_000;
const RECENT_NOTIFICATIONS = 10_000;

/**
 * Payments for the other contexts: they add a payment to their own transaction, start the charge once it has
 * committed, and hear about the outcome through a listener that runs in the transaction recording it.
 */
@Injectable()
export class PaymentsService {
  private readonly listeners = new Map<PaymentPurpose, OutcomeListener>();
  private readonly refundListeners = new Map<PaymentPurpose, RefundListener>();
  /** Notifications for one payment are applied one at a time here: duplicates and near-simultaneous ones would only conflict. */
  private readonly perPayment = new KeyedQueue();
  /**
   * Notification ids this process has applied (the most recent ones): a provider's duplicate delivery of one of them
   * is answered without reading the payment again. Only a shortcut: after a restart a duplicate simply goes through
   * the decider, which ignores what it has already recorded.
   */
  private readonly appliedNotifications = new Set<string>();

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly gateway: PaymentGateway,
    private readonly ids: IdGenerator,
    private readonly clock: Clock,
    @Inject(PAYMENTS_SECRET) private readonly secret: string,
  ) {}

  onOutcome(purposes: readonly PaymentPurpose[], listener: OutcomeListener): void {
    for (const purpose of purposes) this.listeners.set(purpose, listener);
  }

  onRefund(purposes: readonly PaymentPurpose[], listener: RefundListener): void {
    for (const purpose of purposes) this.refundListeners.set(purpose, listener);
  }

  newPaymentId(): string {
    return this.ids.next();
  }

  /** The payment request as a command that follows from the caller's decision, appended with it. Payee is always the company account (A7). */
  paymentRequest(request: PaymentRequest, context: CommandContext): FollowOn {
    return followOn(
      paymentDecider,
      paymentStreamId(request.paymentId),
      { type: 'RequestPayment', at: context.now.toISOString(), ...request },
      { startsStream: true },
    );
  }

  /** Starts the charge; call after the transaction that appended the request has committed. */
  charge(request: Pick<PaymentRequest, 'paymentId' | 'amountMinor' | 'currency' | 'method'>): void {
    this.gateway.charge(request);
  }

  startRefund(refund: { paymentId: string; refundId: string; amountMinor: number; currency: string }): void {
    this.gateway.refund(refund);
  }

  async load(paymentId: string): Promise<PaymentState> {
    const { state } = await this.aggregates.load(paymentDecider, paymentStreamId(paymentId));
    if (state.status === 'none') throw notFound('PAYMENTS.NOT_FOUND', `payment ${paymentId} does not exist`);
    return state;
  }

  /** A notification from the provider: verified, then applied idempotently; the outcome listener runs in the same transaction. */
  async receive(notification: GatewayNotification, signature: string): Promise<void> {
    if (!verifyNotification(this.secret, notification, signature))
      throw new DomainError('unauthenticated', 'PAYMENTS.BAD_SIGNATURE', 'the notification signature does not verify');
    const now = this.clock.now();
    if (Math.abs(now.getTime() - notification.signedAt) > MAX_NOTIFICATION_AGE_MS) {
      throw forbidden('PAYMENTS.STALE_NOTIFICATION', 'the notification is too old or from the future');
    }
    const at = now.toISOString();
    const base = { paymentId: notification.paymentId, at };
    const command: PaymentCommand =
      notification.type === 'payment.authorised'
        ? { ...base, type: 'AuthorisePayment', gatewayReference: notification.gatewayReference }
        : notification.type === 'payment.captured'
          ? { ...base, type: 'CapturePayment', gatewayReference: notification.gatewayReference, amountMinor: notification.amountMinor }
          : notification.type === 'payment.failed'
            ? { ...base, type: 'FailPayment', reason: notification.reason ?? 'failed at the provider' }
            : notification.type === 'refund.succeeded'
              ? { ...base, type: 'CompleteRefund', refundId: notification.refundId ?? '' }
              : {
                  ...base,
                  type: 'FailRefund',
                  refundId: notification.refundId ?? '',
                  reason: notification.reason ?? 'refund failed at the provider',
                };
    const context: CommandContext = {
      actor: { id: 'gateway:sandbox', roles: ['payment_gateway'] },
      correlationId: notification.id,
      causationId: notification.id,
      channel: 'system',
      now,
    };
    await this.perPayment.run(notification.paymentId, async () => {
      if (this.appliedNotifications.has(notification.id)) return;
      await this.apply(notification.paymentId, command, context);
      this.appliedNotifications.add(notification.id);
      if (this.appliedNotifications.size > RECENT_NOTIFICATIONS) {
        this.appliedNotifications.delete(this.appliedNotifications.values().next().value as string);
      }
    });
  }

  /**
   * Records what the provider answered when asked about a payment or refund whose notification never came: the same
   * commands and outcome listeners as a notification, so whichever of the two arrives second changes nothing.
   */
  async reconcile(paymentId: string, outcome: Reconciled): Promise<void> {
    const now = this.clock.now();
    const context: CommandContext = {
      actor: { id: 'payments:reconciliation', roles: ['system'] },
      correlationId: this.ids.next(),
      channel: 'system',
      now,
    };
    const command = { ...outcome, paymentId, at: now.toISOString() } as PaymentCommand;
    await this.perPayment.run(paymentId, () => this.apply(paymentId, command, context));
  }

  /**
   * The settlement on the payment stream, through the seam; the paying context's commands for its outcome follow
   * from the decision and are appended by the same statement (see `paymentOutcomes` and `onOutcome`).
   */
  private async apply(paymentId: string, command: PaymentCommand, context: CommandContext): Promise<void> {
    await this.aggregates.handle(paymentDecider, paymentStreamId(paymentId), command, context, () => undefined, {
      // Nobody reads right behind the provider, so its notifications do not wait for read models.
      waitForProjections: false,
      followOns: ({ state, events }) => [
        ...paymentOutcomes(state, events).flatMap((outcome) => this.listeners.get(outcome.purpose)?.(outcome, context) ?? []),
        ...refundOutcomes(state, events).flatMap((refund) => this.refundListeners.get(refund.purpose)?.(refund, context) ?? []),
      ],
    });
  }
}

/** Given a payment's decision (its state after, the events decided): the outcomes the paying context must hear of. */
export const paymentOutcomes = (state: PaymentState, events: readonly PaymentEvent[]): PaymentOutcome[] => {
  if (state.status === 'none') return [];
  const outcomes: PaymentOutcome[] = [];
  for (const event of events) {
    const base = {
      paymentId: state.paymentId,
      payerId: state.payerId,
      purpose: state.purpose,
      referenceId: state.referenceId,
      amount: { amountMinor: state.amountMinor, currency: state.currency },
    };
    if (event.type === PaymentEventTypes.Captured) outcomes.push({ ...base, status: 'captured' });
    else if (event.type === PaymentEventTypes.Failed) outcomes.push({ ...base, status: 'failed', reason: event.data.reason });
  }
  return outcomes;
};

/** The completed refunds among a payment's new events, as its paying context hears of them (`onRefund`). */
export const refundOutcomes = (state: PaymentState, events: readonly PaymentEvent[]): RefundOutcome[] => {
  if (state.status === 'none') return [];
  const { paymentId, payerId, purpose, referenceId } = state;
  return events.flatMap((event) =>
    event.type === PaymentEventTypes.RefundCompleted
      ? [{ paymentId, payerId, purpose, referenceId, refundId: event.data.refundId, amountMinor: event.data.amountMinor }]
      : [],
  );
};
