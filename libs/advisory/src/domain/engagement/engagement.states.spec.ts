/** Each status of an engagement carries its own facts, and the moves between statuses the other specs do not walk. */
import { fold } from '@app/common';
import { InvestorEvent } from '../investor/investor.events';
import { given } from '@app/common/testing';
import {
  ANSWERS,
  DAY,
  HOUR,
  INVESTOR,
  T0,
  WINDOW_DAYS,
  assessedInvestor,
  at,
  disclosureDoc,
  play,
  product,
  snapshotOf,
  step,
} from '../testing/fixtures';
import { documentRef } from '../documents';
import { PLAIN_CALENDAR } from '../working-days';
import { AdvisoryProductSnapshot, EngagementCommand } from './engagement.commands';
import { engagementDecider as decider } from './engagement.decider';
import { EngagementEvent, EngagementEventType } from './engagement.events';

const ENG = 'eng-1';
const investor = assessedInvestor(ANSWERS.C3);
const r3 = product('R3');

const match = (inv: InvestorEvent[], prod: AdvisoryProductSnapshot, when = T0): EngagementCommand => ({
  type: 'MatchSuitability',
  engagementId: ENG,
  investor: snapshotOf(inv, when),
  product: prod,
  initiatedBy: 'investor',
  attributionWindowDays: WINDOW_DAYS,
  step: step(INVESTOR, when),
});
const confirm: EngagementCommand = { type: 'ConfirmRiskDisclosure', engagementId: ENG, document: documentRef(disclosureDoc), step: step() };
const sign: EngagementCommand = {
  type: 'SignContract',
  engagementId: ENG,
  serial: 'AC-2026-000001',
  product: r3,
  calendar: PLAIN_CALENDAR,
  step: step(),
};
const money = { amountMinor: r3.feeBasis.amountMinor, currency: r3.feeBasis.currency };
const gated = (when: string) => ({
  price: money,
  incentives: [],
  investor: snapshotOf(investor, when),
  product: r3,
  attributionWindowDays: WINDOW_DAYS,
  step: step(INVESTOR, when),
});
const buy: EngagementCommand = {
  type: 'PurchaseSubscription',
  engagementId: ENG,
  subscriptionId: 'sub-1',
  paymentIntentId: 'pi-1',
  ...gated(T0),
  education: { requiredLessons: [], completedLessons: [] },
};
const renew = (when: string): EngagementCommand => ({
  type: 'RenewSubscription',
  engagementId: ENG,
  paymentIntentId: 'pi-2',
  ...gated(when),
});
const settle = (outcome: 'captured' | 'failed'): EngagementCommand => ({
  type: 'SettleSubscriptionPayment',
  engagementId: ENG,
  paymentIntentId: 'pi-1',
  outcome,
  step: { actorId: 'gateway:sandbox', at: T0, channel: 'system' },
});
const rescind: EngagementCommand = {
  type: 'RescindContract',
  engagementId: ENG,
  notice: 'I rescind',
  refundIds: ['rf-1'],
  step: step(INVESTOR, at(T0, HOUR)),
};

const matched = () => play(decider, [match(investor, r3), confirm]);
const contracted = () => play(decider, [sign], matched());
const pending = () => play(decider, [buy], contracted());
const active = () => play(decider, [settle('captured')], pending());
const statusOf = (events: EngagementEvent[]) => fold(decider, events).status;

describe('engagement statuses', () => {
  it('A4–A8: matched has no contract, contracted no subscription; the purchase brings the subscription and rescission keeps both', () => {
    expect(fold(decider, matched())).toMatchObject({
      status: 'matched',
      contract: null,
      subscription: null,
      returnVisit: null,
      renewalBlocked: null,
    });
    expect(fold(decider, contracted())).toMatchObject({ status: 'contracted', contract: { serial: 'AC-2026-000001' }, subscription: null });
    expect(fold(decider, pending())).toMatchObject({
      status: 'payment_pending',
      contract: { serial: 'AC-2026-000001' },
      subscription: { subscriptionId: 'sub-1' },
    });
    const rescinded = play(decider, [rescind], active());
    expect(fold(decider, rescinded)).toMatchObject({
      status: 'rescinded',
      contract: { serial: 'AC-2026-000001' },
      subscription: { subscriptionId: 'sub-1' },
    });
  });

  it('A8: a contract rescinded before any purchase leaves a rescinded engagement without a subscription', () => {
    const rescinded = play(decider, [rescind], contracted());
    expect(fold(decider, rescinded)).toMatchObject({ status: 'rescinded', subscription: null });
    given(decider, rescinded).when(buy).thenFails('ENGAGEMENT.RESCINDED', 'A8');
    given(decider, rescinded).when(match(investor, r3)).thenFails('ENGAGEMENT.RESCINDED', 'A8');
    given(decider, rescinded).when(confirm).thenFails('ENGAGEMENT.RESCINDED', 'A8');
    given(decider, rescinded)
      .when(renew(at(T0, DAY)))
      .thenFails('RENEWAL.NOT_ACTIVE', 'A7');
  });

  it('A4/A6: matching again under a signed contract keeps the contract and its status; a second contract is refused', () => {
    const rematched = play(decider, [match(investor, r3, at(T0, DAY))], contracted());
    expect(fold(decider, rematched)).toMatchObject({ status: 'contracted', contract: { serial: 'AC-2026-000001' } });
    given(decider, rematched).when(sign).thenFails('CONTRACT.ALREADY_SIGNED', 'A6');
  });

  it('A7: only an active subscription is renewed: not under a bare contract, nor while the purchase is paid or after it failed', () => {
    given(decider, contracted())
      .when(renew(at(T0, DAY)))
      .thenFails('RENEWAL.NOT_ACTIVE', 'A7');
    given(decider, pending())
      .when(renew(at(T0, DAY)))
      .thenFails('RENEWAL.NOT_ACTIVE', 'A7');
    const failed = play(decider, [settle('failed')], pending());
    expect(statusOf(failed)).toBe('payment_failed');
    given(decider, failed)
      .when(renew(at(T0, DAY)))
      .thenFails('RENEWAL.NOT_ACTIVE', 'A7');
  });

  it('L4: a renewal block set while the purchase was being paid still holds once the payment is captured', () => {
    const rerate: EngagementCommand = {
      type: 'ApplyProductRerating',
      engagementId: ENG,
      investor: snapshotOf(investor, at(T0, HOUR)),
      product: product('R4', { ratingVersion: 2 }),
      step: { actorId: 'system', at: at(T0, HOUR), channel: 'system' },
    };
    const blocked = play(decider, [rerate, settle('captured')], pending());
    expect(fold(decider, blocked)).toMatchObject({ status: 'active', renewalBlocked: { riskLevel: 'R4', ratingVersion: 2 } });
    given(decider, blocked)
      .when(renew(at(T0, 80 * DAY)))
      .thenFails('RENEWAL.BLOCKED_UNTIL_REMATCHED', 'L4');
  });

  it('an event outside the statuses it is decided in leaves the state as it is instead of failing the fold', () => {
    const renewedWithoutSubscription: EngagementEvent = {
      type: EngagementEventType.SubscriptionRenewed,
      data: {
        engagementId: ENG,
        subscriptionId: 'sub-1',
        paymentIntentId: 'pi-2',
        price: money,
        periodStart: T0,
        periodEnd: at(T0, 90 * DAY),
        suitability: { ruleSetVersion: 'SM-2025.1', decision: 'match', fired: [] },
        step: step(),
      },
    };
    expect(fold(decider, [...contracted(), renewedWithoutSubscription])).toEqual(fold(decider, contracted()));
  });
});
