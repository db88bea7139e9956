/**
 * The payment aggregate. Gateway callbacks arrive at least once and in any order, so every callback command is
 * idempotent and the state only moves forward (requested → authorised → captured; failed is terminal). Money only
 * ever moves to the company account (A7): the payee is not a parameter of the domain, and a command naming any other
 * payee is refused. Refunds: several per payment, each with reason and actor, and together never above what was
 * captured.
 */
import { conflict, Decider, DomainError, DomainEvent, invalid, notFound, ruleViolation, unreachable } from '@app/common';

export const COMPANY_ACCOUNT = 'company:settlement';

export type PaymentPurpose = 'subscription' | 'renewal' | 'tip' | 'advisory' | 'community_tip';

interface Base {
  readonly paymentId: string;
  /** ISO-8601 instant of the command. */
  readonly at: string;
}

export type PaymentCommand =
  | (Base & {
      readonly type: 'RequestPayment';
      readonly payerId: string;
      readonly amountMinor: number;
      readonly currency: string;
      readonly purpose: PaymentPurpose;
      readonly referenceId: string;
      /** When a caller names the payee it must be the company account. */
      readonly payee?: string;
      /** The payment method token the gateway charges (also used for renewals). */
      readonly method?: string;
    })
  | (Base & { readonly type: 'AuthorisePayment'; readonly gatewayReference: string })
  | (Base & { readonly type: 'CapturePayment'; readonly gatewayReference: string; readonly amountMinor: number })
  | (Base & { readonly type: 'FailPayment'; readonly reason: string })
  | (Base & {
      readonly type: 'RequestRefund';
      readonly refundId: string;
      readonly amountMinor: number;
      readonly reason: string;
      readonly actorId: string;
    })
  | (Base & { readonly type: 'CompleteRefund'; readonly refundId: string })
  | (Base & { readonly type: 'FailRefund'; readonly refundId: string; readonly reason: string });

export const PaymentEventTypes = {
  Requested: 'payments.PaymentRequested',
  Authorised: 'payments.PaymentAuthorised',
  Captured: 'payments.PaymentCaptured',
  Failed: 'payments.PaymentFailed',
  RefundRequested: 'payments.RefundRequested',
  RefundCompleted: 'payments.RefundCompleted',
  RefundFailed: 'payments.RefundFailed',
} as const;

type T = typeof PaymentEventTypes;
export type PaymentEvent =
  | DomainEvent<
      T['Requested'],
      {
        paymentId: string;
        payerId: string;
        payee: string;
        amountMinor: number;
        currency: string;
        purpose: PaymentPurpose;
        referenceId: string;
        method?: string;
        at: string;
      }
    >
  | DomainEvent<T['Authorised'], { paymentId: string; gatewayReference: string; at: string }>
  | DomainEvent<
      T['Captured'],
      {
        paymentId: string;
        gatewayReference: string;
        amountMinor: number;
        currency: string;
        purpose: PaymentPurpose;
        referenceId: string;
        at: string;
      }
    >
  | DomainEvent<T['Failed'], { paymentId: string; reason: string; purpose: PaymentPurpose; referenceId: string; at: string }>
  | DomainEvent<
      T['RefundRequested'],
      { paymentId: string; refundId: string; amountMinor: number; currency: string; reason: string; by: string; at: string }
    >
  | DomainEvent<T['RefundCompleted'], { paymentId: string; refundId: string; amountMinor: number; at: string }>
  | DomainEvent<T['RefundFailed'], { paymentId: string; refundId: string; amountMinor: number; reason: string; at: string }>;

export interface Refund {
  readonly refundId: string;
  readonly amountMinor: number;
  readonly reason: string;
  readonly by: string;
  readonly status: 'requested' | 'completed' | 'failed';
}

/** What every requested payment carries, whatever became of it. */
interface PaymentFacts {
  readonly paymentId: string;
  readonly payerId: string;
  readonly amountMinor: number;
  readonly currency: string;
  readonly purpose: PaymentPurpose;
  readonly referenceId: string;
}

/** Nothing was captured before the capture, so nothing can be refunded: the amounts are fixed by the type. */
interface NothingCaptured {
  readonly capturedMinor: 0;
  readonly refunds: readonly [];
}

export interface RequestedPayment extends PaymentFacts, NothingCaptured {
  readonly status: 'requested';
}

export interface AuthorisedPayment extends PaymentFacts, NothingCaptured {
  readonly status: 'authorised';
}

export interface CapturedPayment extends PaymentFacts {
  readonly status: 'captured';
  readonly capturedMinor: number;
  readonly refunds: readonly Refund[];
}

/** Terminal: a payment fails only before its capture. */
export interface FailedPayment extends PaymentFacts, NothingCaptured {
  readonly status: 'failed';
}

export type Payment = RequestedPayment | AuthorisedPayment | CapturedPayment | FailedPayment;
export type PaymentStatus = Payment['status'];
export type PaymentState = { readonly status: 'none' } | Payment;

/** Captured money not yet refunded or reserved by a refund in flight. */
export const refundableMinor = (state: PaymentState): number =>
  state.status !== 'captured'
    ? 0
    : state.capturedMinor - state.refunds.filter((r) => r.status !== 'failed').reduce((sum, r) => sum + r.amountMinor, 0);

const decide = (command: PaymentCommand, state: PaymentState): PaymentEvent[] | DomainError => {
  const { paymentId, at } = command;
  if (command.type === 'RequestPayment') {
    if (state.status !== 'none') return []; // the same payment requested again
    if (command.payee !== undefined && command.payee !== COMPANY_ACCOUNT) {
      return ruleViolation('PAYMENTS.PAYEE_NOT_COMPANY', 'A7', 'fees are paid only to the company account');
    }
    if (!Number.isSafeInteger(command.amountMinor) || command.amountMinor <= 0) {
      return invalid('PAYMENTS.AMOUNT_INVALID', 'a payment is a positive integer amount in minor units');
    }
    return [
      {
        type: PaymentEventTypes.Requested,
        data: {
          paymentId,
          payerId: command.payerId,
          payee: COMPANY_ACCOUNT,
          amountMinor: command.amountMinor,
          currency: command.currency,
          purpose: command.purpose,
          referenceId: command.referenceId,
          ...(command.method ? { method: command.method } : {}),
          at,
        },
      },
    ];
  }
  if (state.status === 'none') return notFound('PAYMENTS.NOT_FOUND', `payment ${paymentId} does not exist`);

  switch (command.type) {
    case 'AuthorisePayment':
      // A late or repeated callback never moves the payment backwards.
      if (state.status !== 'requested') return [];
      return [{ type: PaymentEventTypes.Authorised, data: { paymentId, gatewayReference: command.gatewayReference, at } }];
    case 'CapturePayment':
      if (state.status === 'captured') return [];
      if (state.status === 'failed') return conflict('PAYMENTS.ALREADY_FAILED', `payment ${paymentId} has failed and cannot be captured`);
      if (command.amountMinor !== state.amountMinor) {
        return conflict('PAYMENTS.CAPTURE_AMOUNT_MISMATCH', `captured ${command.amountMinor}, requested ${state.amountMinor}`);
      }
      return [
        {
          type: PaymentEventTypes.Captured,
          data: {
            paymentId,
            gatewayReference: command.gatewayReference,
            amountMinor: command.amountMinor,
            currency: state.currency,
            purpose: state.purpose,
            referenceId: state.referenceId,
            at,
          },
        },
      ];
    case 'FailPayment':
      // A failure reported after the capture (or twice) is stale: the captured state stands.
      if (state.status === 'captured' || state.status === 'failed') return [];
      return [
        {
          type: PaymentEventTypes.Failed,
          data: { paymentId, reason: command.reason, purpose: state.purpose, referenceId: state.referenceId, at },
        },
      ];
    case 'RequestRefund': {
      const existing = state.refunds.find((refund) => refund.refundId === command.refundId);
      if (existing) {
        return existing.amountMinor === command.amountMinor
          ? []
          : conflict('PAYMENTS.REFUND_ID_REUSED', `refund ${command.refundId} exists with another amount`, 'E1');
      }
      if (!command.reason?.trim()) return invalid('PAYMENTS.REFUND_REASON_REQUIRED', 'a refund states its reason', 'E1');
      if (!command.actorId?.trim()) return invalid('PAYMENTS.REFUND_ACTOR_REQUIRED', 'a refund names who ordered it', 'E1');
      if (!Number.isSafeInteger(command.amountMinor) || command.amountMinor <= 0) {
        return invalid('PAYMENTS.AMOUNT_INVALID', 'a refund is a positive integer amount in minor units');
      }
      if (state.status !== 'captured')
        return conflict('PAYMENTS.NOT_CAPTURED', `payment ${paymentId} is ${state.status}: only captured payments are refunded`, 'E1');
      const available = refundableMinor(state);
      if (command.amountMinor > available) {
        return new DomainError(
          'rule_violation',
          'PAYMENTS.REFUND_EXCEEDS_CAPTURED',
          `refund of ${command.amountMinor} exceeds the ${available} still refundable`,
          'E1',
          {
            refundableMinor: available,
          },
        );
      }
      return [
        {
          type: PaymentEventTypes.RefundRequested,
          data: {
            paymentId,
            refundId: command.refundId,
            amountMinor: command.amountMinor,
            currency: state.currency,
            reason: command.reason,
            by: command.actorId,
            at,
          },
        },
      ];
    }
    case 'CompleteRefund':
    case 'FailRefund': {
      const refund = state.refunds.find((candidate) => candidate.refundId === command.refundId);
      if (!refund) return notFound('PAYMENTS.REFUND_NOT_FOUND', `refund ${command.refundId} does not exist`);
      if (refund.status !== 'requested') return [];
      return command.type === 'CompleteRefund'
        ? [{ type: PaymentEventTypes.RefundCompleted, data: { paymentId, refundId: refund.refundId, amountMinor: refund.amountMinor, at } }]
        : [
            {
              type: PaymentEventTypes.RefundFailed,
              data: { paymentId, refundId: refund.refundId, amountMinor: refund.amountMinor, reason: command.reason, at },
            },
          ];
    }
    default:
      return unreachable(command);
  }
};

const factsOf = ({ paymentId, payerId, amountMinor, currency, purpose, referenceId }: Payment): PaymentFacts => ({
  paymentId,
  payerId,
  amountMinor,
  currency,
  purpose,
  referenceId,
});

// The state only moves forward, as `decide` does: an event that would move it back leaves it as it is.
const evolve = (state: PaymentState, event: PaymentEvent): PaymentState => {
  if (event.type === PaymentEventTypes.Requested) {
    const { paymentId, payerId, amountMinor, currency, purpose, referenceId } = event.data;
    return { status: 'requested', paymentId, payerId, amountMinor, currency, purpose, referenceId, capturedMinor: 0, refunds: [] };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case PaymentEventTypes.Authorised:
      return state.status === 'requested' ? { ...state, status: 'authorised' } : state;
    case PaymentEventTypes.Captured:
      return state.status === 'requested' || state.status === 'authorised'
        ? { ...factsOf(state), status: 'captured', capturedMinor: event.data.amountMinor, refunds: [] }
        : state;
    case PaymentEventTypes.Failed:
      return state.status === 'requested' || state.status === 'authorised' ? { ...state, status: 'failed' } : state;
    case PaymentEventTypes.RefundRequested: {
      if (state.status !== 'captured') return state;
      const refund: Refund = {
        refundId: event.data.refundId,
        amountMinor: event.data.amountMinor,
        reason: event.data.reason,
        by: event.data.by,
        status: 'requested',
      };
      return { ...state, refunds: [...state.refunds, refund] };
    }
    case PaymentEventTypes.RefundCompleted:
    case PaymentEventTypes.RefundFailed: {
      if (state.status !== 'captured') return state;
      const status = event.type === PaymentEventTypes.RefundCompleted ? 'completed' : 'failed';
      return {
        ...state,
        refunds: state.refunds.map((refund) => (refund.refundId === event.data.refundId ? { ...refund, status } : refund)),
      };
    }
    default:
      return unreachable(event);
  }
};

export const paymentDecider: Decider<PaymentCommand, PaymentEvent, PaymentState> = {
  initialState: { status: 'none' },
  decide,
  evolve,
};

export const paymentStreamId = (paymentId: string) => `payments.payment-${paymentId}`;
