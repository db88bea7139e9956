import { reconstructInvestor, TimelineEvent } from './investor-snapshot';

let seq = 0;
const ev = (type: string, occurredAt: string, data: Record<string, unknown>): TimelineEvent => {
  seq += 1;
  return { eventId: `e${seq}`, streamId: 's', type, position: `1:${seq}`, occurredAt, actor: 'investor-1', data };
};

const disclosure = { documentId: 'rd', kind: 'risk_disclosure', version: '2025.1', contentHash: 'a'.repeat(64) };
const contract = { documentId: 'ct', kind: 'advisory_contract', version: '2025.1', contentHash: 'b'.repeat(64) };
const opinion = { ruleSetVersion: 'SM-2025.1', decision: 'match', fired: [], levelFit: 'within', objectiveFit: true, outstanding: [] };

const history: TimelineEvent[] = [
  ev('advisory.AccountOpened', '2026-01-01T00:00:00.000Z', {
    investorId: 'inv-1',
    classification: 'ordinary',
    profile: { occupation: 'engineer' },
  }),
  ev('advisory.RiskAssessed', '2026-01-02T00:00:00.000Z', {
    investorId: 'inv-1',
    assessmentId: 'a1',
    category: 'C3',
    lowestCategory: false,
    questionnaireVersion: 'RQ-2025.1',
    validUntil: '2027-01-02T00:00:00.000Z',
  }),
  ev('advisory.RiskAssessmentConfirmed', '2026-01-02T00:05:00.000Z', { investorId: 'inv-1', assessmentId: 'a1', category: 'C3' }),
  ev('advisory.SuitabilityMatched', '2026-01-03T00:00:00.000Z', {
    engagementId: 'g1',
    investorId: 'inv-1',
    productId: 'p1',
    opinion,
    investor: { category: 'C3' },
  }),
  ev('advisory.RiskDisclosureConfirmed', '2026-01-03T00:01:00.000Z', { engagementId: 'g1', document: disclosure }),
  ev('advisory.ContractSigned', '2026-01-03T00:02:00.000Z', {
    engagementId: 'g1',
    serial: 'C-0001',
    document: contract,
    rescissionDeadline: '2026-01-10',
  }),
  ev('advisory.MaterialChangeReported', '2026-03-01T00:00:00.000Z', {
    investorId: 'inv-1',
    profile: { occupation: 'retired' },
    withdrawnAssessmentId: 'a1',
  }),
  ev('advisory.RiskAssessed', '2026-03-02T00:00:00.000Z', {
    investorId: 'inv-1',
    assessmentId: 'a2',
    category: 'C2',
    lowestCategory: false,
    validUntil: '2027-03-02T00:00:00.000Z',
  }),
];

describe('point-in-time reconstruction of an investor file (E4)', () => {
  it('E4: at the moment of contract signing, shows the C-level, opinion, rule-set and documents by hash then in force', () => {
    const snap = reconstructInvestor('inv-1', '2026-01-03T00:02:00.000Z', history);
    expect(snap.profile).toEqual({ occupation: 'engineer' });
    expect(snap.riskAssessment).toMatchObject({
      assessmentId: 'a1',
      category: 'C3',
      confirmedAt: '2026-01-02T00:05:00.000Z',
      inForce: true,
    });
    expect(snap.engagements).toHaveLength(1);
    expect(snap.engagements[0]).toMatchObject({
      engagementId: 'g1',
      productId: 'p1',
      ruleSetVersion: 'SM-2025.1',
      confirmedDocuments: [
        { kind: 'risk_disclosure', contentHash: disclosure.contentHash, confirmedBy: 'investor-1' },
        { kind: 'advisory_contract', contentHash: contract.contentHash },
      ],
      contract: { serial: 'C-0001', contentHash: contract.contentHash },
    });
  });

  it('E4: before the disclosure was confirmed, the file shows the opinion but no confirmed documents', () => {
    const snap = reconstructInvestor('inv-1', '2026-01-03T00:00:30.000Z', history);
    expect(snap.engagements[0].confirmedDocuments).toEqual([]);
    expect(snap.engagements[0].contract).toBeUndefined();
  });

  it('E4: a material change withdraws the assessment; the later one is what is in force afterwards', () => {
    expect(reconstructInvestor('inv-1', '2026-03-01T12:00:00.000Z', history).riskAssessment).toMatchObject({
      assessmentId: 'a1',
      inForce: false,
    });
    expect(reconstructInvestor('inv-1', '2026-06-01T00:00:00.000Z', history)).toMatchObject({
      profile: { occupation: 'retired' },
      riskAssessment: { assessmentId: 'a2', category: 'C2', inForce: true },
    });
  });

  it('E4: an assessment past its validity is reported as not in force', () => {
    expect(reconstructInvestor('inv-1', '2027-02-01T00:00:00.000Z', history.slice(0, 3)).riskAssessment).toMatchObject({ inForce: false });
  });

  it('E4: a purchased subscription is shown with its fee pending until the payment is captured, or failed', () => {
    const purchase = ev('advisory.SubscriptionPurchased', '2026-01-03T00:03:00.000Z', {
      engagementId: 'g1',
      subscriptionId: 's1',
      productId: 'p1',
      periodStart: '2026-01-03',
      periodEnd: '2026-02-03',
      suitability: { ruleSetVersion: 'SM-2025.1' },
    });
    const captured = ev('advisory.SubscriptionPaymentCaptured', '2026-01-03T00:03:05.000Z', {
      engagementId: 'g1',
      subscriptionId: 's1',
      paymentIntentId: 'pay1',
    });
    const withPurchase = [...history.slice(0, 6), purchase, captured];
    expect(reconstructInvestor('inv-1', '2026-01-03T00:03:01.000Z', withPurchase).engagements[0].subscriptions).toEqual([
      expect.objectContaining({ subscriptionId: 's1', payment: 'pending' }),
    ]);
    expect(reconstructInvestor('inv-1', '2026-01-03T00:04:00.000Z', withPurchase).engagements[0].subscriptions).toEqual([
      expect.objectContaining({ subscriptionId: 's1', payment: 'captured' }),
    ]);
    const failed = ev('advisory.SubscriptionPaymentFailed', '2026-01-03T00:03:05.000Z', {
      engagementId: 'g1',
      subscriptionId: 's1',
      paymentIntentId: 'pay1',
    });
    expect(
      reconstructInvestor('inv-1', '2026-01-04T00:00:00.000Z', [...history.slice(0, 6), purchase, failed]).engagements[0].subscriptions[0]
        .payment,
    ).toBe('failed');
  });

  it('before the account existed there is nothing in force', () => {
    expect(reconstructInvestor('inv-1', '2025-12-31T00:00:00.000Z', history)).toMatchObject({ eventsConsidered: 0, engagements: [] });
    expect(() => reconstructInvestor('inv-1', 'yesterday', history)).toThrow(RangeError);
  });
});
