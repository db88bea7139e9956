/** Each listing status carries its own facts; the moves between statuses the decider spec does not walk. */
import { fold } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import { ListingContent, ListingEvent, ListingEventTypes as E, listingDecider } from './listing';

const spec = deciderSpec(listingDecider);
const at = '2026-11-23T10:00:00.000Z';
const maker = { id: 'pm-1', roles: ['product_manager'] };
const otherPm = { id: 'pm-2', roles: ['product_manager'] };
const compliance = { id: 'co-1', roles: ['compliance_officer'] };
const otherCompliance = { id: 'co-2', roles: ['compliance_officer'] };
const listingId = 'L-1';

const course: ListingContent = {
  kind: 'course',
  title: '技术分析入门',
  description: '十二节视频课程',
  plans: [{ planId: 'once', name: '一次购买', priceMinor: 19900, currency: 'CNY', billingPeriod: 'one_off' }],
};
const strategy: ListingContent = {
  kind: 'stock_picking_strategy',
  title: '价值精选组合',
  description: '基于基本面研究的股票组合策略，投资有风险',
  plans: [{ planId: 'quarterly', name: '季度', priceMinor: 98000, currency: 'CNY', billingPeriod: 'quarter' }],
  advisory: {
    riskLevel: 'R3',
    riskFactors: { liquidity: 2, principalLoss: 3, complexity: 3, leverage: 1 },
    horizon: 'medium',
    varieties: ['a_shares'],
    advisors: [{ advisorId: 'adv-1', name: '张三', sacRegistrationCode: 'S0260611080001' }],
    feeBasis: 'fixed_subscription',
    riskDisclosureVersion: 'risk-disclosure-2026.1',
    contractVersion: 'advisory-contract-2026.1',
  },
};
const factors = { liquidity: 3, principalLoss: 4, complexity: 4, leverage: 2 };

const valueAdded = [
  { type: E.Drafted, data: { listingId, family: 'value_added', content: course, by: maker.id, at } },
  { type: E.Submitted, data: { listingId, family: 'value_added', by: maker.id, at } },
] satisfies ListingEvent[];
const rejected: ListingEvent = { type: E.Rejected, data: { listingId, by: otherPm.id, at, reason: 'title too vague' } };
const revisedBy = (by: string, content: ListingContent, previousStatus: 'rejected' | 'published'): ListingEvent => ({
  type: E.Revised,
  data: { listingId, family: content.kind === 'course' ? 'value_added' : 'advisory', content, by, at, previousStatus },
});
const liveAdvisory: ListingEvent[] = [
  { type: E.Drafted, data: { listingId, family: 'advisory', content: strategy, by: maker.id, at } },
  { type: E.Submitted, data: { listingId, family: 'advisory', by: maker.id, at } },
  { type: E.Approved, data: { listingId, family: 'advisory', by: compliance.id, at } },
  { type: E.Published, data: { listingId, family: 'advisory', by: maker.id, at } },
];
const changeRequested = (changeId: string, from: 'R3' | 'R4', to: 'R4' | 'R5'): ListingEvent => ({
  type: E.RiskRatingChangeSubmitted,
  data: { listingId, changeId, from, to, riskFactors: factors, reason: 'added small caps', by: maker.id, at },
});
const changeApproved = (changeId: string, from: 'R3' | 'R4', to: 'R4' | 'R5'): ListingEvent => ({
  type: E.RiskRatingChangeApproved,
  data: { listingId, changeId, from, to, upward: true, by: compliance.id, at },
});

describe('listing statuses', () => {
  it('L2: the maker of one submission may check the next one, which someone else made', () => {
    const resubmitted = [
      ...valueAdded,
      rejected,
      revisedBy(otherPm.id, course, 'rejected'),
      { type: E.Submitted, data: { listingId, family: 'value_added', by: otherPm.id, at } },
    ] satisfies ListingEvent[];
    expect(fold(listingDecider, resubmitted)).toMatchObject({ status: 'submitted', submittedBy: otherPm.id });
    spec
      .given(resubmitted)
      .when({ type: 'ApproveListing', listingId, actor: otherPm, at, confirmedFamily: 'value_added' })
      .thenFails('CATALOG.MAKER_CANNOT_CHECK', 'L2');
    spec
      .given(resubmitted)
      .when({ type: 'ApproveListing', listingId, actor: maker, at, confirmedFamily: 'value_added' })
      .then([{ type: E.Approved, data: { listingId, family: 'value_added', by: maker.id, at } }]);
  });

  it('L1: a listing under review or retired is not revised', () => {
    spec
      .given(valueAdded)
      .when({ type: 'ReviseListing', listingId, actor: maker, at, content: course })
      .thenFails('CATALOG.INVALID_TRANSITION', 'L1');
    const retired = [
      ...liveAdvisory,
      { type: E.Retired, data: { listingId, by: maker.id, at, reason: 'closed' } },
    ] satisfies ListingEvent[];
    expect(fold(listingDecider, retired).status).toBe('retired');
    spec
      .given(retired)
      .when({ type: 'ReviseListing', listingId, actor: maker, at, content: strategy })
      .thenFails('CATALOG.INVALID_TRANSITION', 'L1');
  });

  it('L4: every approved change moves the rating version on', () => {
    const twice = [
      ...liveAdvisory,
      changeRequested('rc-1', 'R3', 'R4'),
      changeApproved('rc-1', 'R3', 'R4'),
      changeRequested('rc-2', 'R4', 'R5'),
      changeApproved('rc-2', 'R4', 'R5'),
    ];
    expect(fold(listingDecider, twice)).toMatchObject({
      status: 'published',
      approvedRatingChanges: 2,
      pendingRatingChange: null,
      content: { advisory: { riskLevel: 'R5' } },
    });
  });

  it('L4: a change pending when the listing is revised stays pending and is reviewed from the level in force', () => {
    const revised = [...liveAdvisory, changeRequested('rc-1', 'R3', 'R4'), revisedBy(maker.id, strategy, 'published')];
    expect(fold(listingDecider, revised)).toMatchObject({ status: 'draft', pendingRatingChange: { changeId: 'rc-1', to: 'R4' } });
    spec
      .given(revised)
      .when({ type: 'ApproveRiskRatingChange', listingId, actor: otherCompliance, at, changeId: 'rc-1' })
      .then([
        {
          type: E.RiskRatingChangeApproved,
          data: { listingId, changeId: 'rc-1', from: 'R3', to: 'R4', upward: true, by: otherCompliance.id, at },
        },
      ]);
  });

  it('L3/L4: a pending change is not approved once a revision has dropped the level it moves from', () => {
    const withoutLevel: ListingContent = { ...strategy, advisory: { ...strategy.advisory, riskLevel: undefined } };
    const revised = [...liveAdvisory, changeRequested('rc-1', 'R3', 'R4'), revisedBy(maker.id, withoutLevel, 'published')];
    const error = spec
      .given(revised)
      .when({ type: 'ApproveRiskRatingChange', listingId, actor: otherCompliance, at, changeId: 'rc-1' })
      .thenFails('CATALOG.ADVISORY_TERMS_MISSING', 'L3');
    expect(error.details).toEqual({ missing: ['riskLevel'] });
    spec
      .given(revised)
      .when({
        type: 'RejectRiskRatingChange',
        listingId,
        actor: otherCompliance,
        at,
        changeId: 'rc-1',
        reason: 'the listing is being reworked',
      })
      .then([
        {
          type: E.RiskRatingChangeRejected,
          data: { listingId, changeId: 'rc-1', by: otherCompliance.id, at, reason: 'the listing is being reworked' },
        },
      ]);
  });
});
