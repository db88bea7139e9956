import { fold } from '@app/common';
import { COMPANY_ACCOUNT, PaymentEvent, PaymentEventTypes as E, paymentDecider } from '../domain/payment';
import { paymentOutcomes, refundOutcomes } from './payments.service';

/** The payments side of the outcome reaction, pure: given a settlement decision → the outcomes the paying context hears of. */
describe('payment outcomes: given a payment decision → the outcomes to tell', () => {
  const at = '2026-11-23T10:00:00.000Z';
  const requested: PaymentEvent = {
    type: E.Requested,
    data: {
      paymentId: 'pay-1',
      payerId: 'inv-1',
      payee: COMPANY_ACCOUNT,
      amountMinor: 10000,
      currency: 'CNY',
      purpose: 'subscription',
      referenceId: 'inv-1/L2/sub-1',
      at,
    },
  };
  const captured: PaymentEvent = {
    type: E.Captured,
    data: {
      paymentId: 'pay-1',
      gatewayReference: 'gw-1',
      amountMinor: 10000,
      currency: 'CNY',
      purpose: 'subscription',
      referenceId: 'inv-1/L2/sub-1',
      at,
    },
  };
  const failed: PaymentEvent = {
    type: E.Failed,
    data: { paymentId: 'pay-1', reason: 'card declined', purpose: 'subscription', referenceId: 'inv-1/L2/sub-1', at },
  };
  const after = (...events: PaymentEvent[]) => fold(paymentDecider, events);
  const payment = {
    paymentId: 'pay-1',
    payerId: 'inv-1',
    purpose: 'subscription',
    referenceId: 'inv-1/L2/sub-1',
    amount: { amountMinor: 10000, currency: 'CNY' },
  };

  it('given a capture, then the payer’s context hears it was captured', () => {
    expect(paymentOutcomes(after(requested, captured), [captured])).toEqual([{ ...payment, status: 'captured' }]);
  });

  it('given a failure, then it hears it failed, with the reason', () => {
    expect(paymentOutcomes(after(requested, failed), [failed])).toEqual([{ ...payment, status: 'failed', reason: 'card declined' }]);
  });

  it('given a duplicate notification (nothing decided) or any other step, then nothing', () => {
    expect(paymentOutcomes(after(requested, captured), [])).toEqual([]);
    expect(paymentOutcomes(after(requested), [requested])).toEqual([]);
    expect(paymentOutcomes(paymentDecider.initialState, [])).toEqual([]);
  });

  it('given a completed refund, then the payer’s context hears of that refund (and of nothing else)', () => {
    const refundRequested: PaymentEvent = {
      type: E.RefundRequested,
      data: { paymentId: 'pay-1', refundId: 'ref-1', amountMinor: 4000, currency: 'CNY', reason: 'cancelled', by: 'inv-1', at },
    };
    const refunded: PaymentEvent = { type: E.RefundCompleted, data: { paymentId: 'pay-1', refundId: 'ref-1', amountMinor: 4000, at } };
    const state = after(requested, captured, refundRequested, refunded);
    const { amount: _amount, ...ids } = payment;
    expect(refundOutcomes(state, [refunded])).toEqual([{ ...ids, refundId: 'ref-1', amountMinor: 4000 }]);
    expect(refundOutcomes(state, [refundRequested])).toEqual([]);
    expect(paymentOutcomes(state, [refunded])).toEqual([]);
  });
});
