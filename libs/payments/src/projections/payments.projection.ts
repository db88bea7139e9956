import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordedEvent } from '@app/event-store';
import { EventProjection, Projection } from '@app/platform';
import { PaymentEvent, PaymentEventTypes as E } from '../domain/payment';
import { PaymentView } from './payment-view.entity';

/** payments_view: status, captured and refunded amounts per payment. Status only moves forward, so replays are harmless. */
@Injectable()
@EventProjection()
export class PaymentsProjection implements Projection {
  readonly name = 'payments.payments';
  readonly tables = ['payments_view'];

  async apply(events: readonly RecordedEvent[], manager: EntityManager): Promise<void> {
    for (const recorded of events) {
      if (!recorded.type.startsWith('payments.')) continue;
      const event = recorded as unknown as PaymentEvent;
      const at = new Date(event.data.at);
      const id = event.data.paymentId;
      switch (event.type) {
        case E.Requested:
          await manager.getRepository(PaymentView).upsert(
            {
              paymentId: id,
              payerId: event.data.payerId,
              payee: event.data.payee,
              amountMinor: event.data.amountMinor,
              currency: event.data.currency,
              purpose: event.data.purpose,
              referenceId: event.data.referenceId,
              method: event.data.method ?? null,
              status: 'requested',
              capturedMinor: 0,
              refundedMinor: 0,
              refunds: [],
              createdAt: at,
              updatedAt: at,
            },
            ['paymentId'],
          );
          break;
        case E.Authorised:
          await manager.query(`UPDATE payments_view SET status = 'authorised', updated_at = $2 WHERE payment_id = $1 AND status = 'requested'`, [id, at]);
          break;
        case E.Captured:
          await manager.query(`UPDATE payments_view SET status = 'captured', captured_minor = $2, updated_at = $3 WHERE payment_id = $1`, [id, event.data.amountMinor, at]);
          break;
        case E.Failed:
          await manager.query(`UPDATE payments_view SET status = 'failed', updated_at = $2 WHERE payment_id = $1 AND status <> 'captured'`, [id, at]);
          break;
        case E.RefundRequested:
          await manager.query(
            `UPDATE payments_view SET refunds = refunds || $2::jsonb, updated_at = $3
              WHERE payment_id = $1 AND NOT refunds @> $4::jsonb`,
            [
              id,
              JSON.stringify([{ refundId: event.data.refundId, amountMinor: event.data.amountMinor, reason: event.data.reason, by: event.data.by, status: 'requested', at: event.data.at }]),
              at,
              JSON.stringify([{ refundId: event.data.refundId }]),
            ],
          );
          break;
        case E.RefundCompleted:
        case E.RefundFailed: {
          const status = event.type === E.RefundCompleted ? 'completed' : 'failed';
          await manager.query(
            `UPDATE payments_view p SET
               refunds = (SELECT jsonb_agg(CASE WHEN r->>'refundId' = $2 THEN jsonb_set(r, '{status}', to_jsonb($3::text)) ELSE r END) FROM jsonb_array_elements(p.refunds) r),
               updated_at = $4
             WHERE payment_id = $1`,
            [id, event.data.refundId, status, at],
          );
          await manager.query(
            `UPDATE payments_view p SET refunded_minor = COALESCE((SELECT sum((r->>'amountMinor')::bigint) FROM jsonb_array_elements(p.refunds) r WHERE r->>'status' = 'completed'), 0)
             WHERE payment_id = $1`,
            [id],
          );
          break;
        }
      }
    }
  }
}
