import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection, Row, RowTable, foldRows } from '@app/platform';
import { PaymentEvent, PaymentEventTypes as E } from '../domain/payment';

interface StoredRefund {
  refundId: string;
  amountMinor: number;
  reason: string;
  by: string;
  status: string;
  at: string;
}

/**
 * payments_view, one row per payment: status, captured and refunded amounts, refunds. Pure, so that a batch is folded
 * in memory; status only moves forward, so replays are harmless.
 */
export const paymentsTable: RowTable<PaymentEvent> = {
  name: 'payments_view',
  key: 'payment_id',
  keyOf: (event) => (event.type.startsWith('payments.') ? event.data.paymentId : undefined),
  reduce: (row, event): Row | undefined => {
    const at = event.data.at;
    if (event.type === E.Requested) {
      const d = event.data;
      return {
        payment_id: d.paymentId,
        payer_id: d.payerId,
        payee: d.payee,
        amount_minor: d.amountMinor,
        currency: d.currency,
        purpose: d.purpose,
        reference_id: d.referenceId,
        method: d.method ?? null,
        status: 'requested',
        captured_minor: 0,
        refunded_minor: 0,
        refunds: [],
        created_at: at,
        updated_at: at,
      };
    }
    if (!row) return undefined;
    const refunds = row.refunds as StoredRefund[];
    switch (event.type) {
      case E.Authorised:
        return row.status === 'requested' ? { ...row, status: 'authorised', updated_at: at } : row;
      case E.Captured:
        return { ...row, status: 'captured', captured_minor: event.data.amountMinor, updated_at: at };
      case E.Failed:
        return row.status === 'captured' ? row : { ...row, status: 'failed', updated_at: at };
      case E.RefundRequested: {
        const d = event.data;
        if (refunds.some((refund) => refund.refundId === d.refundId)) return row;
        return {
          ...row,
          refunds: [...refunds, { refundId: d.refundId, amountMinor: d.amountMinor, reason: d.reason, by: d.by, status: 'requested', at }],
          updated_at: at,
        };
      }
      case E.RefundCompleted:
      case E.RefundFailed: {
        const status = event.type === E.RefundCompleted ? 'completed' : 'failed';
        const next = refunds.map((refund) => (refund.refundId === event.data.refundId ? { ...refund, status } : refund));
        const refunded = next
          .filter((refund) => refund.status === 'completed')
          .reduce((sum, refund) => sum + Number(refund.amountMinor), 0);
        return { ...row, refunds: next, refunded_minor: refunded, updated_at: at };
      }
    }
    return row;
  },
};

@Injectable()
@EventProjection()
export class PaymentsProjection implements Projection {
  readonly name = 'payments.payments';
  readonly tables = ['payments_view'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    await foldRows(manager, paymentsTable, events);
  }
}
