/** Each payment status carries its own facts; the moves between statuses the decider spec does not walk. */
import { fold } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import { COMPANY_ACCOUNT, PaymentEvent, PaymentEventTypes as E, paymentDecider } from './payment';

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
    purpose: 'advisory',
    referenceId: 'eng-1',
    at,
  },
};
const authorised: PaymentEvent = { type: E.Authorised, data: { paymentId, gatewayReference: 'gw-1', at } };
const captured: PaymentEvent = {
  type: E.Captured,
  data: { paymentId, gatewayReference: 'gw-1', amountMinor: 10000, currency: 'CNY', purpose: 'advisory', referenceId: 'eng-1', at },
};
const failed: PaymentEvent = {
  type: E.Failed,
  data: { paymentId, reason: 'card declined', purpose: 'advisory', referenceId: 'eng-1', at },
};

describe('payment statuses', () => {
  it('nothing is captured or refundable before the capture; the capture records the amount', () => {
    expect(fold(paymentDecider, [requested])).toMatchObject({ status: 'requested', capturedMinor: 0, refunds: [] });
    expect(fold(paymentDecider, [requested, authorised])).toMatchObject({ status: 'authorised', capturedMinor: 0, refunds: [] });
    expect(fold(paymentDecider, [requested, authorised, captured])).toMatchObject({
      status: 'captured',
      capturedMinor: 10000,
      payerId: 'inv-1',
      referenceId: 'eng-1',
    });
  });

  it('a payment fails from requested or from authorised, and a failed one is neither authorised, captured nor refunded', () => {
    spec.given([requested]).when({ type: 'FailPayment', paymentId, at, reason: 'card declined' }).then([failed]);
    spec.given([requested, authorised]).when({ type: 'FailPayment', paymentId, at, reason: 'card declined' }).then([failed]);
    expect(fold(paymentDecider, [requested, authorised, failed])).toMatchObject({ status: 'failed', capturedMinor: 0 });
    spec.given([requested, failed]).when({ type: 'AuthorisePayment', paymentId, at, gatewayReference: 'gw-1' }).then([]);
    spec.given([requested, failed]).when({ type: 'FailPayment', paymentId, at, reason: 'again' }).then([]);
    spec
      .given([requested, failed])
      .when({ type: 'CapturePayment', paymentId, at, gatewayReference: 'gw-1', amountMinor: 10000 })
      .thenFails('PAYMENTS.ALREADY_FAILED');
    spec
      .given([requested, failed])
      .when({ type: 'RequestRefund', paymentId, at, refundId: 'r-1', amountMinor: 100, reason: 'goodwill', actorId: 'co-1' })
      .thenFails('PAYMENTS.NOT_CAPTURED', 'E1');
    spec.given([requested, failed]).when({ type: 'CompleteRefund', paymentId, at, refundId: 'r-1' }).thenFails('PAYMENTS.REFUND_NOT_FOUND');
  });

  it('the state only moves forward: an event that would move it back leaves it as it is', () => {
    const capturedState = fold(paymentDecider, [requested, captured]);
    expect(fold(paymentDecider, [requested, captured, authorised])).toEqual(capturedState);
    expect(fold(paymentDecider, [requested, captured, failed])).toEqual(capturedState);
    expect(fold(paymentDecider, [requested, failed, captured]).status).toBe('failed');
  });
});
