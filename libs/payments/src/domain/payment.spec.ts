import { deciderSpec } from '@app/common/testing';
import { COMPANY_ACCOUNT, PaymentCommand, PaymentEvent, PaymentEventTypes as E, paymentDecider } from './payment';

const spec = deciderSpec(paymentDecider);
const at = '2026-11-23T10:00:00.000Z';
const paymentId = 'pay-1';

const requested: PaymentEvent = {
  type: E.Requested,
  data: {
    paymentId,
    payerId: 'inv-1',
    payee: COMPANY_ACCOUNT,
    amountMinor: 10000,
    currency: 'CNY',
    purpose: 'subscription',
    referenceId: 'sub-1',
    at,
  },
};
const authorised: PaymentEvent = { type: E.Authorised, data: { paymentId, gatewayReference: 'gw-1', at } };
const captured: PaymentEvent = {
  type: E.Captured,
  data: { paymentId, gatewayReference: 'gw-1', amountMinor: 10000, currency: 'CNY', purpose: 'subscription', referenceId: 'sub-1', at },
};
const refund = (refundId: string, amountMinor: number): PaymentCommand => ({
  type: 'RequestRefund',
  paymentId,
  at,
  refundId,
  amountMinor,
  reason: 'customer request',
  actorId: 'co-1',
});
const refundRequested = (refundId: string, amountMinor: number): PaymentEvent => ({
  type: E.RefundRequested,
  data: { paymentId, refundId, amountMinor, currency: 'CNY', reason: 'customer request', by: 'co-1', at },
});

describe('payment decider', () => {
  it('A7: a payment is always to the company account', () => {
    spec
      .given([])
      .when({
        type: 'RequestPayment',
        paymentId,
        at,
        payerId: 'inv-1',
        amountMinor: 10000,
        currency: 'CNY',
        purpose: 'subscription',
        referenceId: 'sub-1',
      })
      .then([requested]);
  });

  it('A7: a payment to any other payee is refused', () => {
    spec
      .given([])
      .when({
        type: 'RequestPayment',
        paymentId,
        at,
        payerId: 'inv-1',
        amountMinor: 10000,
        currency: 'CNY',
        purpose: 'subscription',
        referenceId: 'sub-1',
        payee: 'advisor:zhang',
      })
      .thenFails('PAYMENTS.PAYEE_NOT_COMPANY', 'A7');
  });

  it('authorise then capture', () => {
    spec.given([requested]).when({ type: 'AuthorisePayment', paymentId, at, gatewayReference: 'gw-1' }).then([authorised]);
    spec
      .given([requested, authorised])
      .when({ type: 'CapturePayment', paymentId, at, gatewayReference: 'gw-1', amountMinor: 10000 })
      .then([captured]);
  });

  describe('callbacks twice or out of order', () => {
    it('a repeated authorisation is a no-op', () => {
      spec.given([requested, authorised]).when({ type: 'AuthorisePayment', paymentId, at, gatewayReference: 'gw-1' }).then([]);
    });
    it('a capture arriving before the authorisation is taken; the late authorisation is then a no-op', () => {
      spec
        .given([requested])
        .when({ type: 'CapturePayment', paymentId, at, gatewayReference: 'gw-1', amountMinor: 10000 })
        .then([captured]);
      spec.given([requested, captured]).when({ type: 'AuthorisePayment', paymentId, at, gatewayReference: 'gw-1' }).then([]);
    });
    it('a repeated capture is a no-op', () => {
      spec
        .given([requested, authorised, captured])
        .when({ type: 'CapturePayment', paymentId, at, gatewayReference: 'gw-1', amountMinor: 10000 })
        .then([]);
    });
    it('a failure reported after the capture does not undo it', () => {
      spec.given([requested, captured]).when({ type: 'FailPayment', paymentId, at, reason: 'timeout' }).then([]);
    });
    it('a failed payment cannot be captured', () => {
      const failed: PaymentEvent = {
        type: E.Failed,
        data: { paymentId, reason: 'declined', purpose: 'subscription', referenceId: 'sub-1', at },
      };
      spec
        .given([requested, failed])
        .when({ type: 'CapturePayment', paymentId, at, gatewayReference: 'gw-1', amountMinor: 10000 })
        .thenFails('PAYMENTS.ALREADY_FAILED');
      spec.given([requested, failed]).when({ type: 'FailPayment', paymentId, at, reason: 'declined' }).then([]);
    });
    it('a capture for another amount than requested is a conflict', () => {
      spec
        .given([requested])
        .when({ type: 'CapturePayment', paymentId, at, gatewayReference: 'gw-1', amountMinor: 1 })
        .thenFails('PAYMENTS.CAPTURE_AMOUNT_MISMATCH');
    });
  });

  describe('refunds', () => {
    it('a partial refund records reason and actor', () => {
      spec
        .given([requested, captured])
        .when(refund('r-1', 3000))
        .then([refundRequested('r-1', 3000)]);
    });
    it('several partial refunds up to the captured amount', () => {
      spec
        .given([requested, captured, refundRequested('r-1', 3000)])
        .when(refund('r-2', 7000))
        .then([refundRequested('r-2', 7000)]);
    });
    it('never above what was captured', () => {
      const error = spec
        .given([requested, captured, refundRequested('r-1', 3000)])
        .when(refund('r-2', 7001))
        .thenFails('PAYMENTS.REFUND_EXCEEDS_CAPTURED');
      expect(error.details).toEqual({ refundableMinor: 7000 });
    });
    it('a failed refund frees its amount again', () => {
      const failed: PaymentEvent = { type: E.RefundFailed, data: { paymentId, refundId: 'r-1', amountMinor: 10000, reason: 'bank', at } };
      spec
        .given([requested, captured, refundRequested('r-1', 10000), failed])
        .when(refund('r-2', 10000))
        .then([refundRequested('r-2', 10000)]);
    });
    it('only captured payments are refunded', () => {
      spec.given([requested, authorised]).when(refund('r-1', 100)).thenFails('PAYMENTS.NOT_CAPTURED');
    });
    it('the same refund requested twice is a no-op; the same id with another amount is a conflict', () => {
      spec
        .given([requested, captured, refundRequested('r-1', 3000)])
        .when(refund('r-1', 3000))
        .then([]);
      spec
        .given([requested, captured, refundRequested('r-1', 3000)])
        .when(refund('r-1', 4000))
        .thenFails('PAYMENTS.REFUND_ID_REUSED');
    });
    it('a refund without a reason is refused', () => {
      spec
        .given([requested, captured])
        .when({ ...refund('r-1', 100), reason: ' ' } as PaymentCommand)
        .thenFails('PAYMENTS.REFUND_REASON_REQUIRED');
    });
    it('refund completion callbacks are idempotent', () => {
      const completed: PaymentEvent = { type: E.RefundCompleted, data: { paymentId, refundId: 'r-1', amountMinor: 3000, at } };
      spec
        .given([requested, captured, refundRequested('r-1', 3000)])
        .when({ type: 'CompleteRefund', paymentId, at, refundId: 'r-1' })
        .then([completed]);
      spec
        .given([requested, captured, refundRequested('r-1', 3000), completed])
        .when({ type: 'CompleteRefund', paymentId, at, refundId: 'r-1' })
        .then([]);
      spec
        .given([requested, captured, refundRequested('r-1', 3000), completed])
        .when({ type: 'FailRefund', paymentId, at, refundId: 'r-1', reason: 'late' })
        .then([]);
    });
  });
});
