import { PaymentEvent, PaymentEventTypes as E } from '../domain/payment';
import { chargeEntryId, outboxChanges, refundEntryId } from './payments-outbox.projection';

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
    purpose: 'tip',
    referenceId: 'tip-1',
    method: 'sandbox_ok',
    at: at(0),
  },
};
const authorised: PaymentEvent = { type: E.Authorised, data: { paymentId: id, gatewayReference: 'g', at: at(1) } };
const captured: PaymentEvent = {
  type: E.Captured,
  data: { paymentId: id, gatewayReference: 'g', amountMinor: 3000, currency: 'CNY', purpose: 'tip', referenceId: 'tip-1', at: at(2) },
};
const failed: PaymentEvent = {
  type: E.Failed,
  data: { paymentId: id, reason: 'declined', purpose: 'tip', referenceId: 'tip-1', at: at(2) },
};
const refundRequested: PaymentEvent = {
  type: E.RefundRequested,
  data: { paymentId: id, refundId: 'r-1', amountMinor: 1000, currency: 'CNY', reason: 'asked', by: 'cs-1', at: at(3) },
};
const refundCompleted: PaymentEvent = { type: E.RefundCompleted, data: { paymentId: id, refundId: 'r-1', amountMinor: 1000, at: at(4) } };
const refundFailed: PaymentEvent = {
  type: E.RefundFailed,
  data: { paymentId: id, refundId: 'r-1', amountMinor: 1000, reason: 'closed', at: at(4) },
};

describe('payments outbox entries folded from the log', () => {
  it('given a payment requested, an entry to charge it with what the provider needs', () => {
    expect(outboxChanges([requested])).toEqual(
      new Map([
        [
          chargeEntryId(id),
          {
            outbox_id: chargeEntryId(id),
            kind: 'charge',
            payment_id: id,
            refund_id: null,
            amount_minor: 3000,
            currency: 'CNY',
            method: 'sandbox_ok',
            requested_at: at(0),
          },
        ],
      ]),
    );
  });

  it('an authorisation is not an outcome: the entry stays until the capture', () => {
    expect(outboxChanges([requested, authorised]).get(chargeEntryId(id))).toMatchObject({ kind: 'charge' });
    expect(outboxChanges([authorised])).toEqual(new Map());
  });

  it.each([
    ['captured', captured],
    ['failed', failed],
  ])('a payment %s removes its entry, also when requested in the same batch', (_, outcome) => {
    expect(outboxChanges([outcome])).toEqual(new Map([[chargeEntryId(id), null]]));
    expect(outboxChanges([requested, authorised, outcome])).toEqual(new Map([[chargeEntryId(id), null]]));
  });

  it('given a refund requested, an entry to refund; its completion or failure removes it', () => {
    expect(outboxChanges([requested, captured, refundRequested])).toEqual(
      new Map([
        [chargeEntryId(id), null],
        [
          refundEntryId('r-1'),
          {
            outbox_id: refundEntryId('r-1'),
            kind: 'refund',
            payment_id: id,
            refund_id: 'r-1',
            amount_minor: 1000,
            currency: 'CNY',
            method: null,
            requested_at: at(3),
          },
        ],
      ]),
    );
    expect(outboxChanges([refundRequested, refundCompleted]).get(refundEntryId('r-1'))).toBeNull();
    expect(outboxChanges([refundRequested, refundFailed]).get(refundEntryId('r-1'))).toBeNull();
  });

  it('a request without a method keeps a null method (it cannot be charged again, only reconciled)', () => {
    const { method: _ignored, ...withoutMethod } = requested.data as typeof requested.data & { method?: string };
    expect(outboxChanges([{ type: E.Requested, data: withoutMethod } as PaymentEvent]).get(chargeEntryId(id))).toMatchObject({
      method: null,
    });
  });
});
