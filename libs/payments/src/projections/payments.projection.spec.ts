import { Row } from '@app/platform';
import { PaymentEvent, PaymentEventTypes as E } from '../domain/payment';
import { paymentsTable } from './payments.projection';

const at = (minute: number) => `2026-11-23T10:${String(minute).padStart(2, '0')}:00.000Z`;
const id = 'pay-1';
const requested: PaymentEvent = {
  type: E.Requested,
  data: {
    paymentId: id,
    payerId: 'inv-1',
    payee: 'company',
    amountMinor: 3000,
    currency: 'CNY',
    purpose: 'subscription',
    referenceId: 'ref',
    at: at(0),
  },
};
const authorised: PaymentEvent = { type: E.Authorised, data: { paymentId: id, gatewayReference: 'g', at: at(1) } };
const captured: PaymentEvent = {
  type: E.Captured,
  data: {
    paymentId: id,
    gatewayReference: 'g',
    amountMinor: 3000,
    currency: 'CNY',
    purpose: 'subscription',
    referenceId: 'ref',
    at: at(2),
  },
};
const failed: PaymentEvent = {
  type: E.Failed,
  data: { paymentId: id, reason: 'declined', purpose: 'subscription', referenceId: 'ref', at: at(3) },
};
const refund = (refundId: string, amountMinor: number, minute: number): PaymentEvent => ({
  type: E.RefundRequested,
  data: { paymentId: id, refundId, amountMinor, currency: 'CNY', reason: 'asked', by: 'cs-1', at: at(minute) },
});
const completed = (refundId: string, amountMinor: number, minute: number): PaymentEvent => ({
  type: E.RefundCompleted,
  data: { paymentId: id, refundId, amountMinor, at: at(minute) },
});

const fold = (events: PaymentEvent[], start?: Row) =>
  events.reduce<Row | undefined>((row, event) => paymentsTable.reduce(row, event), start);

describe('payments_view rows folded in memory', () => {
  it('follows a payment from request through authorisation to capture', () => {
    expect(fold([requested, authorised, captured])).toMatchObject({
      payment_id: id,
      status: 'captured',
      captured_minor: 3000,
      refunded_minor: 0,
      updated_at: at(2),
    });
  });

  it('moves status only forward: a late authorisation or failure after the capture changes nothing', () => {
    const capturedRow = fold([requested, captured]);
    expect(paymentsTable.reduce(capturedRow, authorised)).toBe(capturedRow);
    expect(paymentsTable.reduce(capturedRow, failed)).toBe(capturedRow);
    expect(fold([requested, failed])).toMatchObject({ status: 'failed' });
  });

  it('records each refund once and sums only the completed ones', () => {
    const row = fold([
      requested,
      captured,
      refund('r-1', 1000, 4),
      refund('r-1', 1000, 5),
      refund('r-2', 500, 6),
      completed('r-2', 500, 7),
    ]);
    expect(row?.refunds).toHaveLength(2);
    expect(row).toMatchObject({ refunded_minor: 500 });
    expect(fold([completed('r-1', 1000, 8)], row)).toMatchObject({ refunded_minor: 1500 });
  });

  it('ignores events about a payment it has no row for, and events of other contexts', () => {
    expect(paymentsTable.reduce(undefined, captured)).toBeUndefined();
    expect(paymentsTable.keyOf({ type: 'value-added.SubscriptionActivated', data: {} } as unknown as PaymentEvent)).toBeUndefined();
    expect(paymentsTable.keyOf(captured)).toBe(id);
  });
});
