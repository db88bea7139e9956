import { Row } from '@app/platform';
import { EngagementEvent, EngagementEventType as T } from '../domain';
import { engagementsTable } from './engagements.table';

const step = (minute: number) => ({ at: `2026-11-23T10:${String(minute).padStart(2, '0')}:00.000Z` });
const ev = (type: string, minute: number, data: Record<string, unknown> = {}) =>
  ({ type, data: { engagementId: 'eng-1', step: step(minute), ...data } }) as unknown as EngagementEvent;

const matched = ev(T.SuitabilityMatched, 0, {
  investorId: 'inv-1',
  productId: 'prod-1',
  planId: 'quarterly',
  opinion: { decision: 'match', ruleSetVersion: 'SM-2025.1' },
  product: { riskLevel: 'R3', ratingVersion: 1 },
});
const contracted = ev(T.ContractSigned, 1, { serial: 'AC-1', rescissionDeadline: '2026-11-30T10:00:00.000Z' });
const purchased = ev(T.SubscriptionPurchased, 2, {
  subscriptionId: 'sub-1',
  periodEnd: '2027-02-23T10:00:00.000Z',
  price: { amountMinor: 98000, currency: 'CNY' },
});
const captured = ev(T.SubscriptionPaymentCaptured, 3, { paidMinor: 98000 });
const failed = ev(T.SubscriptionPaymentFailed, 4, { renewal: false, periodEnd: null });

const fold = (events: EngagementEvent[], start?: Row) =>
  events.reduce<Row | undefined>((row, event) => engagementsTable.reduce(row, event), start);

describe('advisory_engagements rows folded in memory (A7)', () => {
  it('follows an engagement from the match through the contract and purchase to an active subscription', () => {
    expect(fold([matched, contracted, purchased, captured])).toMatchObject({
      engagement_id: 'eng-1',
      status: 'active',
      contract_serial: 'AC-1',
      subscription_id: 'sub-1',
      paid_minor: 98000,
      currency: 'CNY',
      updated_at: step(3).at,
    });
  });

  it('moves the status from payment_pending only: a failure after the capture leaves the subscription active', () => {
    expect(fold([matched, contracted, purchased, captured, failed])).toMatchObject({ status: 'active' });
    expect(fold([matched, contracted, purchased, failed])).toMatchObject({ status: 'payment_failed' });
  });

  it('a re-match keeps the row and its contract, with the new opinion and renewals unblocked', () => {
    const blocked = fold([matched, contracted, ev(T.RenewalBlocked, 5)]);
    expect(blocked).toMatchObject({ renewal_blocked: true });
    const rematched = engagementsTable.reduce(
      blocked,
      ev(T.SuitabilityMatched, 6, {
        ...(matched.data as object),
        opinion: { decision: 'mismatch_warned', ruleSetVersion: 'SM-2025.1' },
        step: step(6),
      }),
    );
    expect(rematched).toMatchObject({ status: 'contracted', contract_serial: 'AC-1', decision: 'mismatch_warned', renewal_blocked: false });
  });

  it('ignores events about engagements it has no row for, and events that do not change the row', () => {
    expect(engagementsTable.reduce(undefined, captured)).toBeUndefined();
    expect(engagementsTable.keyOf(ev(T.ReturnVisitQueued, 7))).toBeUndefined();
  });
});
