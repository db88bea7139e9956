import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import { PaymentEvent, PaymentEventTypes as E } from '../domain/payment';

/** A charge or refund recorded in the log whose outcome is not recorded yet. */
export interface OutboxEntry {
  readonly outbox_id: string;
  readonly kind: 'charge' | 'refund';
  readonly payment_id: string;
  readonly refund_id: string | null;
  readonly amount_minor: number;
  readonly currency: string;
  readonly method: string | null;
  readonly requested_at: string;
}

export const chargeEntryId = (paymentId: string) => `charge:${paymentId}`;
export const refundEntryId = (refundId: string) => `refund:${refundId}`;

/**
 * What a batch of payment events does to the outbox, folded in log order: an entry for each charge and refund
 * requested, removed by its outcome (null). A request and its outcome in one batch leave nothing behind.
 */
export const outboxChanges = (events: readonly PaymentEvent[]): Map<string, OutboxEntry | null> => {
  const changes = new Map<string, OutboxEntry | null>();
  for (const event of events) {
    switch (event.type) {
      case E.Requested: {
        const d = event.data;
        changes.set(chargeEntryId(d.paymentId), {
          outbox_id: chargeEntryId(d.paymentId),
          kind: 'charge',
          payment_id: d.paymentId,
          refund_id: null,
          amount_minor: d.amountMinor,
          currency: d.currency,
          method: d.method ?? null,
          requested_at: d.at,
        });
        break;
      }
      case E.Captured:
      case E.Failed:
        changes.set(chargeEntryId(event.data.paymentId), null);
        break;
      case E.RefundRequested: {
        const d = event.data;
        changes.set(refundEntryId(d.refundId), {
          outbox_id: refundEntryId(d.refundId),
          kind: 'refund',
          payment_id: d.paymentId,
          refund_id: d.refundId,
          amount_minor: d.amountMinor,
          currency: d.currency,
          method: null,
          requested_at: d.at,
        });
        break;
      }
      case E.RefundCompleted:
      case E.RefundFailed:
        changes.set(refundEntryId(event.data.refundId), null);
        break;
    }
  }
  return changes;
};

/**
 * payments_outbox: the charges and refunds started after a commit and not settled yet, derived from the log, so it
 * survives a crash of the process that started them and is rebuilt like any read model. The re-driver
 * (PaymentOutbox) drives what stays in it too long.
 */
@Injectable()
@EventProjection()
export class PaymentsOutboxProjection implements Projection {
  readonly name = 'payments.outbox';
  readonly tables = ['payments_outbox'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    const payments = events.filter((event) => event.type.startsWith('payments.')) as unknown as PaymentEvent[];
    if (payments.length === 0) return;
    const changes = [...outboxChanges(payments).entries()];
    const removed = changes.filter(([, entry]) => entry === null).map(([id]) => id);
    const added = changes.map(([, entry]) => entry).filter((entry): entry is OutboxEntry => entry !== null);
    if (removed.length) await manager.query('DELETE FROM payments_outbox WHERE outbox_id = ANY($1::text[])', [removed]);
    if (added.length) {
      await manager.query(
        `INSERT INTO payments_outbox SELECT * FROM json_populate_recordset(NULL::payments_outbox, $1::json) ON CONFLICT (outbox_id) DO NOTHING`,
        [JSON.stringify(added)],
      );
    }
  }
}
