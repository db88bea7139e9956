import { fold } from '@app/common';
import { documentRef, engagementContract, renderAdvisoryContract } from '../documents';
import { DEFAULT_ASSESSMENT_VALIDITY, investorDecider } from '../investor/investor.decider';
import { InvestorEvent } from '../investor/investor.events';
import { RQ_2025_1 } from '../questionnaire';
import { given } from '@app/common/testing';
import {
  ADVISOR_ID,
  ANSWERS,
  COMPLIANCE,
  DAY,
  HOUR,
  INVESTOR,
  LOWEST_ANSWERS,
  T0,
  advisor,
  assessedInvestor,
  at,
  disclosureDoc,
  play,
  product,
  profile,
  snapshotOf,
  step,
  WINDOW_DAYS,
  warningDoc,
} from '../testing/fixtures';
import { PLAIN_CALENDAR } from '../working-days';
import { AdvisoryProductSnapshot, Engagement, EngagementCommand, engagementDecider as decider } from './engagement.decider';
import { EngagementEvent, EngagementEventType, ReturnVisitChecklist } from './engagement.events';

const ENG = 'eng-1';
const NO_LESSONS = { requiredLessons: [], completedLessons: [] };
const SERIAL = 'AC-2026-000001';

const match = (
  investor: InvestorEvent[],
  prod: AdvisoryProductSnapshot,
  initiatedBy: 'investor' | 'recommendation' | 'push' = 'investor',
  when = T0,
): EngagementCommand => ({
  type: 'MatchSuitability',
  engagementId: ENG,
  investor: snapshotOf(investor, when),
  product: prod,
  initiatedBy,
  attributionWindowDays: WINDOW_DAYS,
  step: step(INVESTOR, when),
});
const confirmDisclosure = (when = T0): EngagementCommand => ({
  type: 'ConfirmRiskDisclosure',
  engagementId: ENG,
  document: documentRef(disclosureDoc),
  step: step(INVESTOR, when),
});
const signWarning = (when = T0): EngagementCommand => ({
  type: 'SignSpecialRiskWarning',
  engagementId: ENG,
  document: documentRef(warningDoc),
  step: step(INVESTOR, when),
});
const insist = (when = T0): EngagementCommand => ({
  type: 'RecordInsistence',
  engagementId: ENG,
  statement: '我已知晓风险，坚持购买 / I understand and insist',
  step: step(INVESTOR, when),
});
const sign = (prod: AdvisoryProductSnapshot, when = T0): EngagementCommand => ({
  type: 'SignContract',
  engagementId: ENG,
  serial: SERIAL,
  product: prod,
  calendar: PLAIN_CALENDAR,
  step: step(INVESTOR, when),
});
const buy = (investor: InvestorEvent[], prod: AdvisoryProductSnapshot, when = T0, incentives: string[] = []): EngagementCommand => ({
  type: 'PurchaseSubscription',
  engagementId: ENG,
  subscriptionId: 'sub-1',
  paymentIntentId: 'pi-1',
  price: { amountMinor: prod.feeBasis.amountMinor, currency: prod.feeBasis.currency },
  incentives,
  investor: snapshotOf(investor, when),
  product: prod,
  attributionWindowDays: WINDOW_DAYS,
  education: NO_LESSONS,
  step: step(INVESTOR, when),
});
const renew = (investor: InvestorEvent[], prod: AdvisoryProductSnapshot, when: string): EngagementCommand => ({
  type: 'RenewSubscription',
  engagementId: ENG,
  paymentIntentId: 'pi-2',
  price: { amountMinor: prod.feeBasis.amountMinor, currency: prod.feeBasis.currency },
  incentives: [],
  investor: snapshotOf(investor, when),
  product: prod,
  attributionWindowDays: WINDOW_DAYS,
  step: step(INVESTOR, when),
});
const settle = (paymentIntentId: string, outcome: 'captured' | 'failed', when = T0): EngagementCommand => ({
  type: 'SettleSubscriptionPayment',
  engagementId: ENG,
  paymentIntentId,
  outcome,
  ...(outcome === 'failed' ? { reason: 'card declined' } : {}),
  step: { actorId: 'gateway:sandbox', at: when, channel: 'system' },
});
const rerate = (investor: InvestorEvent[], prod: AdvisoryProductSnapshot, when: string): EngagementCommand => ({
  type: 'ApplyProductRerating',
  engagementId: ENG,
  investor: snapshotOf(investor, when),
  product: prod,
  step: { actorId: 'system', at: when, channel: 'system' },
});

const upToContract = (investor: InvestorEvent[], prod: AdvisoryProductSnapshot, mismatch = false) =>
  play(decider, [match(investor, prod), confirmDisclosure(), ...(mismatch ? [signWarning(), insist()] : []), sign(prod)]);
const active = (investor: InvestorEvent[], prod: AdvisoryProductSnapshot, mismatch = false) =>
  play(decider, [buy(investor, prod), settle('pi-1', 'captured')], upToContract(investor, prod, mismatch));
const stateOf = (events: EngagementEvent[]) => fold(decider, events) as Engagement;

describe('A4 matching opinion', () => {
  it('A4: records the opinion with rule IDs, rule-set version, the assessment and product rating it was based on', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    given(decider)
      .when(match(investor, product('R3')))
      .then([
        {
          type: EngagementEventType.SuitabilityMatched,
          data: {
            engagementId: ENG,
            investorId: INVESTOR,
            productId: 'prod-1',
            planId: 'plan-q',
            initiatedBy: 'investor',
            initiation: { initiatedBy: 'investor', claimed: 'investor', contact: null, windowDays: WINDOW_DAYS },
            recommendationId: null,
            opinion: {
              ruleSetVersion: 'SM-2025.1',
              decision: 'match',
              fired: [{ rule: 'A4', code: 'SUITABILITY.WITHIN_TOLERANCE', ref: 'SM 18', blocking: false }],
              levelFit: 'within',
              objectiveFit: true,
              outstanding: [],
            },
            investor: {
              classification: 'ordinary',
              assessmentId: 'asm-1',
              category: 'C3',
              lowestCategory: false,
              assessmentValidUntil: '2027-03-02T02:00:00.000Z',
            },
            product: { riskLevel: 'R3', ratingVersion: 1, horizon: 'medium', varieties: ['equities'] },
            requiredDocuments: { riskDisclosure: documentRef(disclosureDoc), specialRiskWarning: null },
            step: step(),
          },
        },
      ]);
  });

  it('A5 / SM 22(5): the lowest category (C1) asking for R2 is refused', () => {
    const error = given(decider)
      .when(match(assessedInvestor(LOWEST_ANSWERS), product('R2')))
      .thenFails('SUITABILITY.LOWEST_CATEGORY_ABOVE_R1', 'A5');
    expect(error.details?.opinion).toMatchObject({ ruleSetVersion: 'SM-2025.1', decision: 'refused' });
  });

  it('A5 / SM 22(3): C2 pushed an R3 product by a recommendation is refused', () => {
    given(decider)
      .when(match(assessedInvestor(ANSWERS.C2), product('R3'), 'recommendation'))
      .thenFails('SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED', 'A5');
  });

  it('A3: matching needs an assessment in force', () => {
    const unconfirmed = play(investorDecider, [], assessedInvestor(ANSWERS.C3).slice(0, 2));
    given(decider)
      .when(match(unconfirmed, product('R3')))
      .thenFails('ASSESSMENT.NOT_IN_FORCE', 'A3');
    given(decider)
      .when(match(assessedInvestor(ANSWERS.C3), product('R3'), 'investor', '2027-03-03T00:00:00.000Z'))
      .thenFails('ASSESSMENT.EXPIRED', 'A3');
  });

  it('L1: an unpublished listing cannot be matched', () => {
    given(decider)
      .when(match(assessedInvestor(ANSWERS.C3), product('R3', { published: false })))
      .thenFails('PRODUCT.NOT_PUBLISHED', 'L1');
  });
});

describe('A5 C2 buying R3 on own initiative', () => {
  const investor = assessedInvestor(ANSWERS.C2);
  const r3 = product('R3');

  it('A5: the opinion is a mismatch with the special risk warning and insistence outstanding', () => {
    const [event] = given(decider).when(match(investor, r3)).thenEvents();
    expect(event.data).toMatchObject({
      opinion: { decision: 'mismatch_allowed_with_warning', levelFit: 'above', outstanding: ['special_risk_warning', 'insistence'] },
      requiredDocuments: { specialRiskWarning: documentRef(warningDoc) },
    });
  });

  it('A5: with the warning signed and the insistence recorded the purchase is allowed and the record says why', () => {
    const events = given(decider, upToContract(investor, r3, true))
      .when(buy(investor, r3))
      .thenEvents();
    expect(events[0]).toMatchObject({
      type: EngagementEventType.SubscriptionPurchased,
      data: {
        subscriptionId: 'sub-1',
        paymentIntentId: 'pi-1',
        price: { amountMinor: 99_900, currency: 'CNY' },
        periodStart: T0,
        periodEnd: '2026-06-02T02:00:00.000Z',
        contractSerial: SERIAL,
        suitability: { ruleSetVersion: 'SM-2025.1', decision: 'mismatch_allowed_with_warning' },
      },
    });
    expect(events[0].type === EngagementEventType.SubscriptionPurchased && events[0].data.suitability.fired.map((f) => f.code)).toEqual([
      'SUITABILITY.ABOVE_RISK_TOLERANCE',
      'SUITABILITY.INVESTOR_INSISTED_AFTER_WARNING',
    ]);
    expect(events[1]).toMatchObject({
      type: EngagementEventType.ReturnVisitQueued,
      data: { reasons: ['above_level'], workableFrom: at(T0, 24 * HOUR) },
    });
  });

  it('A5: the contract cannot be signed before the special risk warning and the insistence', () => {
    const matched = play(decider, [match(investor, r3), confirmDisclosure()]);
    const error = given(decider, matched).when(sign(r3)).thenFails('CONTRACT.SPECIAL_RISK_WARNING_NOT_SIGNED', 'A5');
    expect(error.details?.violations).toEqual([
      expect.objectContaining({ code: 'CONTRACT.SPECIAL_RISK_WARNING_NOT_SIGNED', rule: 'A5' }),
      expect.objectContaining({ code: 'CONTRACT.INSISTENCE_NOT_RECORDED', rule: 'A5' }),
    ]);
  });

  it('A5: insistence comes after the warning', () => {
    given(decider, play(decider, [match(investor, r3)]))
      .when(insist())
      .thenFails('INSISTENCE.WARNING_NOT_SIGNED', 'A5');
  });

  it('A5: a matching product needs no special risk warning', () => {
    given(decider, play(decider, [match(assessedInvestor(ANSWERS.C3), r3)]))
      .when(signWarning())
      .thenFails('WARNING.NOT_REQUIRED', 'A5');
  });

  it('A5: the warning signed must be the product’s version, by hash', () => {
    given(decider, play(decider, [match(investor, r3)]))
      .when({
        ...(signWarning() as Extract<EngagementCommand, { type: 'SignSpecialRiskWarning' }>),
        document: { ...documentRef(warningDoc), contentHash: 'f'.repeat(64) },
      })
      .thenFails('WARNING.WRONG_VERSION', 'A5');
  });
});

describe('A6 disclosure and contract', () => {
  const investor = assessedInvestor(ANSWERS.C3);
  const r3 = product('R3');

  it('A6: the risk disclosure confirmation records the hash of the exact version shown', () => {
    given(decider, play(decider, [match(investor, r3)]))
      .when(confirmDisclosure())
      .then([
        {
          type: EngagementEventType.RiskDisclosureConfirmed,
          data: { engagementId: ENG, document: documentRef(disclosureDoc), step: step() },
        },
      ]);
  });

  it('A6: a different disclosure version is refused', () => {
    given(decider, play(decider, [match(investor, r3)]))
      .when({
        ...(confirmDisclosure() as Extract<EngagementCommand, { type: 'ConfirmRiskDisclosure' }>),
        document: { ...documentRef(disclosureDoc), contentHash: '0'.repeat(64) },
      })
      .thenFails('DISCLOSURE.WRONG_VERSION', 'A6');
  });

  it('A6: the contract cannot be signed before the risk disclosure is confirmed', () => {
    given(decider, play(decider, [match(investor, r3)]))
      .when(sign(r3))
      .thenFails('CONTRACT.RISK_DISCLOSURE_NOT_CONFIRMED', 'A6');
  });

  it('A6: the signed contract is serial-numbered, shows advisor, SAC code, fee and the 5-working-day rescission right, and is recorded by hash', () => {
    const [event] = given(decider, play(decider, [match(investor, r3), confirmDisclosure()]))
      .when(sign(r3))
      .thenEvents();
    const text = renderAdvisoryContract({
      serial: SERIAL,
      productId: 'prod-1',
      productName: r3.name,
      investorId: INVESTOR,
      advisors: [advisor],
      feeBasis: r3.feeBasis,
      templateVersion: 'AC-2025.1',
    });
    expect(text.text).toContain(SERIAL);
    expect(text.text).toContain('李明 (SAC A0120620070001)');
    expect(text.text).toContain('CNY 999.00 per 3 month(s)');
    expect(text.text).toContain('within 5 working days');
    expect(event).toEqual({
      type: EngagementEventType.ContractSigned,
      data: {
        engagementId: ENG,
        serial: SERIAL,
        document: documentRef(text),
        advisors: [advisor],
        feeBasis: r3.feeBasis,
        rescissionDeadline: '2026-03-09T15:59:59.999Z',
        step: step(),
      },
    });
  });

  it('L3: a contract needs advisors with SAC registration codes', () => {
    const unregistered = product('R3', { advisors: [{ ...advisor, sacRegistrationCode: 'pending' }] });
    given(decider, play(decider, [match(investor, unregistered), confirmDisclosure()]))
      .when(sign(unregistered))
      .thenFails('CONTRACT.ADVISOR_NOT_REGISTERED', 'L3');
  });
});

describe('A7 purchase gate', () => {
  const r3 = product('R3');

  it('A7: an assessment that expires between matching and purchase refuses the purchase', () => {
    const investor = assessedInvestor(ANSWERS.C3, '2025-03-10T02:00:00.000Z');
    const beforeExpiry = '2026-03-09T02:00:00.000Z';
    const afterExpiry = '2026-03-10T03:00:00.000Z';
    const contracted = play(decider, [
      match(investor, r3, 'investor', beforeExpiry),
      confirmDisclosure(beforeExpiry),
      sign(r3, beforeExpiry),
    ]);
    given(decider, contracted)
      .when(buy(investor, r3, afterExpiry))
      .thenFails('PURCHASE.ASSESSMENT_EXPIRED', 'A7');
  });

  it('A7: a product re-rated since matching refuses the purchase', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    given(decider, upToContract(investor, r3))
      .when(buy(investor, product('R3', { ratingVersion: 2 })))
      .thenFails('PURCHASE.PRODUCT_RERATED_SINCE_MATCHING', 'A7');
  });

  it('A7: a questionnaire result changed since matching refuses the purchase', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    const contracted = upToContract(investor, r3);
    const reassessed = play(
      investorDecider,
      [
        {
          type: 'AssessRiskTolerance',
          assessmentId: 'asm-2',
          questionnaire: RQ_2025_1,
          answers: ANSWERS.C4,
          validity: DEFAULT_ASSESSMENT_VALIDITY,
          step: step(INVESTOR, at(T0, HOUR)),
        },
        { type: 'ConfirmRiskAssessment', assessmentId: 'asm-2', step: step(INVESTOR, at(T0, HOUR)) },
      ],
      investor,
    );
    given(decider, contracted)
      .when(buy(reassessed, r3, at(T0, 2 * HOUR)))
      .thenFails('PURCHASE.ASSESSMENT_CHANGED_SINCE_MATCHING', 'A7');
  });

  it('A7: a material change withdrawing the assessment refuses the purchase', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    const contracted = upToContract(investor, r3);
    const changed = play(
      investorDecider,
      [{ type: 'ReportMaterialChange', description: 'retired', profile: { ...profile, occupation: 'retired' }, step: step() }],
      investor,
    );
    given(decider, contracted).when(buy(changed, r3)).thenFails('PURCHASE.ASSESSMENT_NOT_IN_FORCE', 'A7');
  });

  it('A6 / A7: a purchase without a signed contract is refused, naming every missing step', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    const error = given(decider, play(decider, [match(investor, r3)]))
      .when(buy(investor, r3))
      .thenFails('PURCHASE.RISK_DISCLOSURE_NOT_CONFIRMED', 'A6');
    expect((error.details?.violations as { code: string }[]).map((x) => x.code)).toEqual([
      'PURCHASE.RISK_DISCLOSURE_NOT_CONFIRMED',
      'PURCHASE.CONTRACT_NOT_SIGNED',
    ]);
  });

  it('V2: a coupon on an advisory purchase is refused', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    given(decider, upToContract(investor, r3))
      .when(buy(investor, r3, T0, ['WELCOME10']))
      .thenFails('PURCHASE.INCENTIVE_NOT_ALLOWED', 'V2');
  });

  it('A6: the price must be the contract fee', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    const cmd = buy(investor, r3) as Extract<EngagementCommand, { type: 'PurchaseSubscription' }>;
    given(decider, upToContract(investor, r3))
      .when({ ...cmd, price: { amountMinor: 1, currency: 'CNY' } })
      .thenFails('PURCHASE.PRICE_NOT_CONTRACT_FEE', 'A6');
  });

  it('A8: a within-level R4 sale to an ordinary investor queues a return visit; a professional buying R5 does not', () => {
    const c4 = assessedInvestor(ANSWERS.C4);
    const r4 = product('R4', { horizon: 'long' });
    const events = given(decider, upToContract(c4, r4)).when(buy(c4, r4)).thenEvents();
    expect(events[1]).toMatchObject({ type: EngagementEventType.ReturnVisitQueued, data: { reasons: ['r4_or_above'] } });

    const pro = play(
      investorDecider,
      [
        {
          type: 'ApplyForProfessionalStatus',
          applicationId: 'app-1',
          evidence: {
            financialAssetsMinor: 600_000_000,
            experienceYears: 5,
            documents: [{ kind: 'statement', contentHash: 'c'.repeat(64) }],
          },
          step: step(),
        },
        {
          type: 'ReviewProfessionalApplication',
          applicationId: 'app-1',
          approve: true,
          reason: '',
          reviewerRoles: ['compliance_officer'],
          step: step(COMPLIANCE),
        },
      ],
      assessedInvestor(ANSWERS.C2),
    );
    const r5 = product('R5', { horizon: 'long', varieties: ['derivatives'] });
    const proEvents = given(decider, upToContract(pro, r5)).when(buy(pro, r5)).thenEvents();
    expect(proEvents.map((e) => e.type)).toEqual([EngagementEventType.SubscriptionPurchased]);
  });
});

describe('G8 education before products', () => {
  const r3 = product('R3');
  const lessons = (requiredLessons: string[], completedLessons: string[]) => ({ requiredLessons, completedLessons });
  const buyEducated = (investor: InvestorEvent[], education: ReturnType<typeof lessons>): EngagementCommand => ({
    ...(buy(investor, r3) as Extract<EngagementCommand, { type: 'PurchaseSubscription' }>),
    education,
  });

  it('G8: a listing requiring lessons refuses the purchase while one is not completed, naming the missing lessons', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    const error = given(decider, upToContract(investor, r3))
      .when(buyEducated(investor, lessons(['lesson-a', 'lesson-b'], ['lesson-a'])))
      .thenFails('EDUCATION.LESSONS_REQUIRED', 'G8');
    expect(error.details?.missingLessons).toEqual(['lesson-b']);
  });

  it('G8: once every required lesson is completed, the purchase is made', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    given(decider, upToContract(investor, r3))
      .when(buyEducated(investor, lessons(['lesson-a', 'lesson-b'], ['lesson-b', 'lesson-x', 'lesson-a'])))
      .thenMatches([{ type: EngagementEventType.SubscriptionPurchased }]);
  });

  it('G8 before A6: without lessons or a contract, the lessons lead and the missing signatures follow in details', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    const matched = play(decider, [match(investor, r3)]);
    const error = given(decider, matched)
      .when(buyEducated(investor, lessons(['lesson-a'], [])))
      .thenFails('EDUCATION.LESSONS_REQUIRED', 'G8');
    expect((error.details?.violations as { rule: string }[]).map((v) => v.rule)).toEqual(['G8', 'A6', 'A6']);
    expect(error.details?.missingLessons).toEqual(['lesson-a']);
  });

  it('G8 after A7: a stale assessment leads, the missing lesson is listed with it', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    const error = given(decider, upToContract(investor, r3))
      .when({ ...buyEducated(investor, lessons(['lesson-a'], [])), product: product('R3', { ratingVersion: 2 }) } as EngagementCommand)
      .thenFails('PURCHASE.PRODUCT_RERATED_SINCE_MATCHING', 'A7');
    expect((error.details?.violations as { code: string }[]).map((v) => v.code)).toEqual([
      'PURCHASE.PRODUCT_RERATED_SINCE_MATCHING',
      'EDUCATION.LESSONS_REQUIRED',
    ]);
  });
});

describe('A7 the purchase is paid before the subscription is active', () => {
  const investor = assessedInvestor(ANSWERS.C3);
  const r3 = product('R3');
  const pending = () => play(decider, [buy(investor, r3)], upToContract(investor, r3));

  it('A7: a purchase waits for its payment; the capture activates it and records what was paid', () => {
    expect(stateOf(pending())).toMatchObject({
      status: 'payment_pending',
      subscription: { payments: [{ paymentIntentId: 'pi-1', status: 'requested' }] },
    });
    given(decider, pending())
      .when(settle('pi-1', 'captured'))
      .then([
        {
          type: EngagementEventType.SubscriptionPaymentCaptured,
          data: {
            engagementId: ENG,
            subscriptionId: 'sub-1',
            paymentIntentId: 'pi-1',
            amount: { amountMinor: 99_900, currency: 'CNY' },
            paidMinor: 99_900,
            step: { actorId: 'gateway:sandbox', at: T0, channel: 'system' },
          },
        },
      ]);
    expect(stateOf(active(investor, r3)).status).toBe('active');
  });

  it('A7: a settlement delivered twice, or for a payment the engagement does not know, changes nothing', () => {
    given(decider, active(investor, r3)).when(settle('pi-1', 'captured')).then([]);
    given(decider, active(investor, r3)).when(settle('pi-1', 'failed')).then([]);
    given(decider, pending()).when(settle('pi-other', 'captured')).then([]);
  });

  it('A7: a failed payment leaves the subscription payment_failed, and the investor may buy again with a new payment', () => {
    const [failed] = given(decider, pending()).when(settle('pi-1', 'failed')).thenEvents();
    expect(failed).toMatchObject({
      type: EngagementEventType.SubscriptionPaymentFailed,
      data: { paymentIntentId: 'pi-1', reason: 'card declined', renewal: false, periodEnd: null },
    });
    const afterFailure = [...pending(), failed];
    expect(stateOf(afterFailure).status).toBe('payment_failed');
    const [again] = given(decider, afterFailure)
      .when({ ...(buy(investor, r3) as Extract<EngagementCommand, { type: 'PurchaseSubscription' }>), paymentIntentId: 'pi-3' })
      .thenEvents();
    expect(again).toMatchObject({ type: EngagementEventType.SubscriptionPurchased, data: { paymentIntentId: 'pi-3' } });
  });

  it('A7: no second purchase while the first payment is being processed', () => {
    given(decider, pending()).when(buy(investor, r3)).thenFails('PURCHASE.PAYMENT_PENDING', 'A7');
  });

  it('A7: a renewal whose payment fails gives the period back; one renewal payment at a time', () => {
    const renewed = play(decider, [renew(investor, r3, at(T0, DAY))], active(investor, r3));
    expect(stateOf(renewed).subscription?.periodEnd).toBe('2026-09-02T02:00:00.000Z');
    given(decider, renewed)
      .when(renew(investor, r3, at(T0, DAY)))
      .thenFails('RENEWAL.PAYMENT_PENDING', 'A7');
    const [failed] = given(decider, renewed)
      .when(settle('pi-2', 'failed', at(T0, DAY)))
      .thenEvents();
    expect(failed).toMatchObject({ data: { renewal: true, periodEnd: '2026-06-02T02:00:00.000Z' } });
    expect(stateOf([...renewed, failed])).toMatchObject({ status: 'active', subscription: { periodEnd: '2026-06-02T02:00:00.000Z' } });
  });
});

describe('L4 re-rating', () => {
  const investor = assessedInvestor(ANSWERS.C3);
  const r3 = product('R3');

  it('L4: raising the rating above a subscriber’s match notifies them and blocks their renewal until re-matched', () => {
    const subscribed = active(investor, r3);
    const r4 = product('R4', { ratingVersion: 2 });
    const events = given(decider, subscribed)
      .when(rerate(investor, r4, at(T0, 10 * DAY)))
      .thenEvents();
    expect(events.map((e) => e.type)).toEqual([EngagementEventType.SubscriberNotifiedOfRerating, EngagementEventType.RenewalBlocked]);
    expect(events[0].data).toMatchObject({
      previous: { riskLevel: 'R3', ratingVersion: 1 },
      current: { riskLevel: 'R4', ratingVersion: 2 },
    });

    const blocked = [...subscribed, ...events];
    given(decider, blocked)
      .when(renew(investor, r4, at(T0, 80 * DAY)))
      .thenFails('RENEWAL.BLOCKED_UNTIL_REMATCHED', 'L4');

    // Matching again (own initiative), signing the warning for the new rating and insisting unblocks the renewal.
    const rematched = play(
      decider,
      [match(investor, r4, 'investor', at(T0, 81 * DAY)), signWarning(at(T0, 81 * DAY)), insist(at(T0, 81 * DAY))],
      blocked,
    );
    const [renewed] = given(decider, rematched)
      .when(renew(investor, r4, at(T0, 82 * DAY)))
      .thenEvents();
    expect(renewed).toMatchObject({
      type: EngagementEventType.SubscriptionRenewed,
      data: { periodStart: '2026-06-02T02:00:00.000Z', suitability: { decision: 'mismatch_allowed_with_warning' } },
    });
  });

  it('L4: a purchase whose payment is still being processed is re-rated like an active subscription', () => {
    const pending = play(decider, [buy(investor, r3)], upToContract(investor, r3));
    const events = given(decider, pending)
      .when(rerate(investor, product('R4', { ratingVersion: 2 }), at(T0, HOUR)))
      .thenEvents();
    expect(events.map((e) => e.type)).toEqual([EngagementEventType.SubscriberNotifiedOfRerating, EngagementEventType.RenewalBlocked]);
  });

  it('L4: a subscriber who still matches after a raise is re-matched and notified', () => {
    const c5 = assessedInvestor(ANSWERS.C5);
    const events = given(decider, active(c5, r3))
      .when(rerate(c5, product('R4', { ratingVersion: 2 }), at(T0, DAY)))
      .thenEvents();
    expect(events.map((e) => e.type)).toEqual([EngagementEventType.SubscriberNotifiedOfRerating, EngagementEventType.SubscriberRematched]);
  });

  it('L4: lowering the rating only notifies; applying the same rating twice does nothing', () => {
    const r2 = product('R2', { ratingVersion: 2 });
    const events = given(decider, active(investor, r3))
      .when(rerate(investor, r2, at(T0, DAY)))
      .thenEvents();
    expect(events.map((e) => e.type)).toEqual([EngagementEventType.SubscriberNotifiedOfRerating]);
    given(decider, [...active(investor, r3), ...events])
      .when(rerate(investor, r2, at(T0, DAY)))
      .then([]);
  });

  it('A7: renewal re-checks the assessment', () => {
    given(decider, active(investor, r3))
      .when(renew(investor, r3, '2027-03-05T00:00:00.000Z'))
      .thenFails('PURCHASE.ASSESSMENT_EXPIRED', 'A7');
  });
});

describe('A8 rescission and return visit', () => {
  const c2 = assessedInvestor(ANSWERS.C2);
  const r3 = product('R3');
  const rescind = (when: string): EngagementCommand => ({
    type: 'RescindContract',
    engagementId: ENG,
    notice: '本人书面通知解除合同 / I rescind',
    refundIds: ['rf-1', 'rf-2'],
    step: step(INVESTOR, when),
  });
  const checklist: ReturnVisitChecklist = {
    identity: true,
    understood_contract_and_risks: true,
    suitability: true,
    fees: true,
    loss_awareness: true,
    rescission_rights: true,
    dispute_route: true,
  };
  const visit = (actorId: string, roles: string[], when: string, list: Partial<ReturnVisitChecklist> = checklist): EngagementCommand => ({
    type: 'CompleteReturnVisit',
    engagementId: ENG,
    staffRoles: roles,
    checklist: list,
    notes: 'called the investor',
    step: { actorId, at: when, channel: 'staff_console' },
  });

  it('A8: rescission within 5 working days of signing refunds everything paid', () => {
    given(decider, active(c2, r3, true))
      .when(rescind('2026-03-09T15:00:00.000Z'))
      .then([
        {
          type: EngagementEventType.ContractRescinded,
          data: {
            engagementId: ENG,
            serial: SERIAL,
            notice: '本人书面通知解除合同 / I rescind',
            refund: {
              amount: { amountMinor: 99_900, currency: 'CNY' },
              refunds: [{ refundId: 'rf-1', paymentIntentId: 'pi-1', amount: { amountMinor: 99_900, currency: 'CNY' } }],
            },
            step: step(INVESTOR, '2026-03-09T15:00:00.000Z'),
          },
        },
      ]);
  });

  it('A8: a payment still being processed holds the rescission back until it settles; a failed one is not refunded', () => {
    const pending = play(decider, [buy(c2, r3)], upToContract(c2, r3, true));
    given(decider, pending).when(rescind(T0)).thenFails('RESCISSION.PAYMENT_PENDING', 'A8');
    const failed = play(decider, [settle('pi-1', 'failed')], pending);
    const [rescinded] = given(decider, failed).when(rescind(T0)).thenEvents();
    expect(rescinded).toMatchObject({ type: EngagementEventType.ContractRescinded, data: { refund: null } });
  });

  it('A8: every captured payment, renewals included, gets its own full refund', () => {
    const renewed = play(decider, [renew(c2, r3, at(T0, DAY)), settle('pi-2', 'captured', at(T0, DAY))], active(c2, r3, true));
    const [rescinded] = given(decider, renewed)
      .when(rescind(at(T0, DAY)))
      .thenEvents();
    expect(rescinded.type === EngagementEventType.ContractRescinded && rescinded.data.refund).toEqual({
      amount: { amountMinor: 199_800, currency: 'CNY' },
      refunds: [
        { refundId: 'rf-1', paymentIntentId: 'pi-1', amount: { amountMinor: 99_900, currency: 'CNY' } },
        { refundId: 'rf-2', paymentIntentId: 'pi-2', amount: { amountMinor: 99_900, currency: 'CNY' } },
      ],
    });
  });

  it('A8: rescission after the 5th working day is refused', () => {
    given(decider, active(c2, r3, true))
      .when(rescind('2026-03-09T16:00:00.000Z'))
      .thenFails('RESCISSION.WINDOW_CLOSED', 'A8');
  });

  it('A8: only the investor rescinds, and only once', () => {
    given(decider, active(c2, r3, true))
      .when({ ...(rescind(T0) as Extract<EngagementCommand, { type: 'RescindContract' }>), step: step('someone') })
      .thenFails('RESCISSION.NOT_BY_INVESTOR', 'A8');
    const rescinded = play(decider, [rescind(T0)], active(c2, r3, true));
    given(decider, rescinded).when(rescind(T0)).thenFails('RESCISSION.ALREADY_RESCINDED', 'A8');
    expect(stateOf(rescinded).status).toBe('rescinded');
  });

  it('A8: an advisor (sales) cannot make the return visit', () => {
    given(decider, active(c2, r3, true))
      .when(visit(ADVISOR_ID, ['advisor'], at(T0, 2 * DAY)))
      .thenFails('RETURN_VISIT.STAFF_IN_SALES', 'A8');
    given(decider, active(c2, r3, true))
      .when(visit('staff-sales', ['sales', 'compliance_officer'], at(T0, 2 * DAY)))
      .thenFails('RETURN_VISIT.STAFF_IN_SALES', 'A8');
  });

  it('A8: the return visit waits for the 24-hour cooling-off', () => {
    given(decider, active(c2, r3, true))
      .when(visit(COMPLIANCE, ['compliance_officer'], at(T0, 23 * HOUR)))
      .thenFails('RETURN_VISIT.COOLING_OFF', 'A8');
  });

  it('A8: the whole checklist is recorded', () => {
    const { dispute_route: _missing, ...partial } = checklist;
    given(decider, active(c2, r3, true))
      .when(visit(COMPLIANCE, ['compliance_officer'], at(T0, DAY), partial))
      .thenFails('RETURN_VISIT.CHECKLIST_INCOMPLETE', 'A8');
  });

  it('A8: a compliance officer records the visit after the cooling-off', () => {
    given(decider, active(c2, r3, true))
      .when(visit(COMPLIANCE, ['compliance_officer'], at(T0, DAY), { ...checklist, fees: false }))
      .then([
        {
          type: EngagementEventType.ReturnVisitCompleted,
          data: {
            engagementId: ENG,
            checklist: { ...checklist, fees: false },
            outcome: 'follow_up_required',
            notes: 'called the investor',
            step: { actorId: COMPLIANCE, at: at(T0, DAY), channel: 'staff_console' },
          },
        },
      ]);
  });

  it('A8: a purchase whose payment fails is no sale: its return visit is withdrawn until a paid purchase queues it again', () => {
    const failed = play(decider, [buy(c2, r3), settle('pi-1', 'failed')], upToContract(c2, r3, true));
    given(decider, failed)
      .when(visit(COMPLIANCE, ['compliance_officer'], at(T0, DAY)))
      .thenFails('RETURN_VISIT.NOT_QUEUED', 'A8');
    const [purchased, queued] = given(decider, failed)
      .when({ ...(buy(c2, r3) as Extract<EngagementCommand, { type: 'PurchaseSubscription' }>), paymentIntentId: 'pi-3' })
      .thenEvents();
    expect([purchased.type, queued.type]).toEqual([EngagementEventType.SubscriptionPurchased, EngagementEventType.ReturnVisitQueued]);
  });

  it('A8: a sale that needs no visit has none to complete', () => {
    const c3 = assessedInvestor(ANSWERS.C3);
    given(decider, active(c3, r3))
      .when(visit(COMPLIANCE, ['compliance_officer'], at(T0, DAY)))
      .thenFails('RETURN_VISIT.NOT_QUEUED', 'A8');
  });
});

describe('A5 initiation established from recorded contacts', () => {
  const r3 = product('R3');
  const contacted = (investor: InvestorEvent[], when: string, source: 'campaign' | 'advisor_contact' | 'push' = 'campaign') =>
    play(
      investorDecider,
      [
        {
          type: 'RecordContact',
          investorId: INVESTOR,
          contactId: 'ct-1',
          productId: r3.productId,
          source,
          reference: 'cmp-42',
          step: step(ADVISOR_ID, when),
        },
      ],
      investor,
    );

  it('A5: a client claiming its own initiative after a recorded campaign contact is matched as not investor-initiated, and an above-level product is refused', () => {
    const investor = contacted(assessedInvestor(ANSWERS.C2), at(T0, -DAY));
    const error = given(decider)
      .when(match(investor, r3, 'investor'))
      .thenFails('SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED', 'A5');
    expect(error.details?.initiation).toMatchObject({
      initiatedBy: 'campaign',
      claimed: 'investor',
      contact: { contactId: 'ct-1', source: 'campaign', step: { at: at(T0, -DAY) } },
    });
  });

  it('A5: a contact recorded after matching refuses the above-level purchase, naming the rule and the contact', () => {
    const investor = assessedInvestor(ANSWERS.C2);
    const contracted = upToContract(investor, r3, true);
    const error = given(decider, contracted)
      .when(buy(contacted(investor, at(T0, HOUR), 'advisor_contact'), r3, at(T0, 2 * HOUR)))
      .thenFails('SUITABILITY.MISMATCH_NOT_INVESTOR_INITIATED', 'A5');
    expect(error.message).toContain('advisor_contact');
    expect(error.details?.initiation).toMatchObject({
      initiatedBy: 'advisor_contact',
      claimed: 'investor',
      contact: { contactId: 'ct-1' },
    });
  });

  it('A5: a contact older than the attribution window no longer counts; the purchase records that it was investor-initiated', () => {
    const investor = contacted(assessedInvestor(ANSWERS.C2), at(T0, -(WINDOW_DAYS + 1) * DAY));
    const [purchased] = given(decider, upToContract(investor, r3, true))
      .when(buy(investor, r3))
      .thenEvents();
    expect(purchased.data).toMatchObject({ initiation: { initiatedBy: 'investor', contact: null, windowDays: WINDOW_DAYS } });
  });

  it('A5: a purchase within the investor level after a contact is sold, and its evidence records the contact', () => {
    const investor = contacted(assessedInvestor(ANSWERS.C3), at(T0, -HOUR), 'push');
    const [purchased] = given(decider, upToContract(investor, r3)).when(buy(investor, r3)).thenEvents();
    expect(purchased.data).toMatchObject({
      initiation: { initiatedBy: 'push', claimed: 'push', contact: { contactId: 'ct-1', source: 'push' } },
    });
  });
});

describe('refusals lead with the most fundamental rule', () => {
  it('A5 / SM 22(5): a C2 investor re-assessed into the lowest category after matching is refused for the lowest category first, the stale assessment in details', () => {
    const r3 = product('R3');
    const investor = assessedInvestor(ANSWERS.C2);
    const contracted = upToContract(investor, r3, true);
    const reassessed = play(
      investorDecider,
      [
        {
          type: 'AssessRiskTolerance',
          assessmentId: 'asm-2',
          questionnaire: RQ_2025_1,
          answers: LOWEST_ANSWERS,
          validity: DEFAULT_ASSESSMENT_VALIDITY,
          step: step(INVESTOR, at(T0, HOUR)),
        },
        { type: 'ConfirmRiskAssessment', assessmentId: 'asm-2', step: step(INVESTOR, at(T0, HOUR)) },
      ],
      investor,
    );
    const error = given(decider, contracted)
      .when(buy(reassessed, r3, at(T0, 2 * HOUR)))
      .thenFails('SUITABILITY.LOWEST_CATEGORY_ABOVE_R1', 'A5');
    const violations = error.details?.violations as { code: string; rule: string }[];
    expect(violations[0]).toMatchObject({ code: 'SUITABILITY.LOWEST_CATEGORY_ABOVE_R1', rule: 'A5' });
    expect(violations.map((v) => v.code)).toContain('PURCHASE.ASSESSMENT_CHANGED_SINCE_MATCHING');
  });

  it('V2 before A6: an incentive on a purchase without signatures is refused for the incentive, with the missing signatures in details', () => {
    const r3 = product('R3');
    const investor = assessedInvestor(ANSWERS.C3);
    const matched = play(decider, [match(investor, r3)]);
    const error = given(decider, matched)
      .when(buy(investor, r3, T0, ['WELCOME10']))
      .thenFails('PURCHASE.INCENTIVE_NOT_ALLOWED', 'V2');
    expect((error.details?.violations as { rule: string }[]).map((v) => v.rule)).toEqual(['V2', 'A6', 'A6']);
  });
});

describe('E4 the steps taken show in the engagement', () => {
  it('A5/A6: matching, disclosure, warning, insistence and contract are each kept with time, actor, channel and document hash', () => {
    const investor = assessedInvestor(ANSWERS.C2);
    const r3 = product('R3');
    const events = play(decider, [
      match(investor, r3),
      confirmDisclosure(at(T0, 1000)),
      signWarning(at(T0, 2000)),
      insist(at(T0, 3000)),
      sign(r3, at(T0, 4000)),
    ]);
    const contract = events.find((e) => e.type === EngagementEventType.ContractSigned);
    expect(stateOf(events).steps).toEqual([
      { kind: 'suitability_matching', at: T0, actorId: INVESTOR, channel: 'app', documentHash: null, ratingVersion: 1 },
      {
        kind: 'risk_disclosure',
        at: at(T0, 1000),
        actorId: INVESTOR,
        channel: 'app',
        documentHash: documentRef(disclosureDoc).contentHash,
        ratingVersion: null,
      },
      {
        kind: 'special_risk_warning',
        at: at(T0, 2000),
        actorId: INVESTOR,
        channel: 'app',
        documentHash: documentRef(warningDoc).contentHash,
        ratingVersion: 1,
      },
      { kind: 'insistence', at: at(T0, 3000), actorId: INVESTOR, channel: 'app', documentHash: null, ratingVersion: 1 },
      {
        kind: 'contract',
        at: at(T0, 4000),
        actorId: INVESTOR,
        channel: 'app',
        documentHash: contract?.type === EngagementEventType.ContractSigned ? contract.data.document.contentHash : 'missing',
        ratingVersion: null,
      },
    ]);
  });
});

describe('A6 the contract signed is the one previewed', () => {
  it('A6: a signing naming the hash of another preview (another serial) is refused', () => {
    const investor = assessedInvestor(ANSWERS.C3);
    const r3 = product('R3');
    const matched = play(decider, [match(investor, r3), confirmDisclosure()]);
    const shown = documentRef(engagementContract('ADV-2026-000007', INVESTOR, r3));
    given(decider, matched)
      .when({ ...sign(r3), serial: 'ADV-2026-000008', shownHash: shown.contentHash } as EngagementCommand)
      .thenFails('CONTRACT.PREVIEW_OUTDATED', 'A6');
    const [signed] = given(decider, matched)
      .when({ ...sign(r3), serial: 'ADV-2026-000007', shownHash: shown.contentHash } as EngagementCommand)
      .thenEvents();
    expect(signed.type === EngagementEventType.ContractSigned && signed.data.document).toEqual(shown);
  });
});
