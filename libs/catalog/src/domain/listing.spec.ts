import { deciderSpec } from '@app/common/testing';
import { AdvisoryTerms, ListingContent, ListingEvent, ListingEventTypes as E, listingDecider } from './listing';

const spec = deciderSpec(listingDecider);
const at = '2026-11-23T10:00:00.000Z';
const maker = { id: 'pm-1', roles: ['product_manager'] };
const otherPm = { id: 'pm-2', roles: ['product_manager'] };
const compliance = { id: 'co-1', roles: ['compliance_officer'] };
const admin = { id: 'admin-1', roles: ['admin'] };
const listingId = 'L-1';

const level2: ListingContent = {
  kind: 'level2_data',
  title: 'Level-2 行情',
  description: '十档买卖盘口，逐笔成交',
  plans: [{ planId: 'monthly', name: '月度', priceMinor: 3000, currency: 'CNY', billingPeriod: 'month', trialDays: 7 }],
};

const advisoryTerms: AdvisoryTerms = {
  riskLevel: 'R3',
  riskFactors: { liquidity: 2, principalLoss: 3, complexity: 3, leverage: 1 },
  horizon: 'medium',
  varieties: ['a_shares'],
  advisors: [{ advisorId: 'adv-1', name: '张三', sacRegistrationCode: 'S0260611080001' }],
  feeBasis: 'fixed_subscription',
  riskDisclosureVersion: 'risk-disclosure-2026.1',
  contractVersion: 'advisory-contract-2026.1',
};

const strategy: ListingContent = {
  kind: 'stock_picking_strategy',
  title: '价值精选组合',
  description: '基于基本面研究的股票组合策略，投资有风险',
  plans: [{ planId: 'quarterly', name: '季度', priceMinor: 98000, currency: 'CNY', billingPeriod: 'quarter' }],
  advisory: advisoryTerms,
};

const drafted = (content: ListingContent): ListingEvent => ({
  type: E.Drafted,
  data: { listingId, family: content.kind === 'level2_data' ? 'value_added' : 'advisory', content, by: maker.id, at },
});
const submitted = (family: 'value_added' | 'advisory'): ListingEvent => ({
  type: E.Submitted,
  data: { listingId, family, by: maker.id, at },
});
const approved = (family: 'value_added' | 'advisory'): ListingEvent => ({
  type: E.Approved,
  data: { listingId, family, by: compliance.id, at },
});
const published = (family: 'value_added' | 'advisory'): ListingEvent => ({
  type: E.Published,
  data: { listingId, family, by: maker.id, at },
});

describe('listing decider', () => {
  it('L1: a product manager drafts a value-added listing with its plans', () => {
    spec
      .given([])
      .when({ type: 'DraftListing', listingId, actor: maker, at, content: level2 })
      .then([drafted(level2)]);
  });

  it('L1: only product managers draft listings', () => {
    spec
      .given([])
      .when({ type: 'DraftListing', listingId, actor: admin, at, content: level2 })
      .thenFails('CATALOG.PRODUCT_MANAGER_REQUIRED');
  });

  it('plans: prices are integers in minor units', () => {
    const content = { ...level2, plans: [{ ...level2.plans[0], priceMinor: 29.9 }] };
    spec.given([]).when({ type: 'DraftListing', listingId, actor: maker, at, content }).thenFails('CATALOG.PLAN_PRICE_INVALID');
  });

  it('plans: a one-off purchase has no trial', () => {
    const content = { ...level2, plans: [{ ...level2.plans[0], billingPeriod: 'one_off' as const }] };
    spec.given([]).when({ type: 'DraftListing', listingId, actor: maker, at, content }).thenFails('CATALOG.PLAN_TRIAL_INVALID');
  });

  it('V2: advisory plans cannot offer a free trial', () => {
    const content = { ...strategy, plans: [{ ...strategy.plans[0], trialDays: 7 }] };
    spec
      .given([])
      .when({ type: 'DraftListing', listingId, actor: maker, at, content })
      .thenFails('CATALOG.ADVISORY_TRIAL_NOT_ALLOWED', 'V2');
  });

  it('V3: copy with a guaranteed-return promise is refused, naming the phrase and the rule', () => {
    const content = { ...level2, description: '跟着信号操作，稳赚不赔' };
    const error = spec
      .given([])
      .when({ type: 'DraftListing', listingId, actor: maker, at, content })
      .thenFails('CONTENT.PROHIBITED_PHRASE', 'V3');
    expect(error.details).toMatchObject({ phrase: '稳赚', category: 'guaranteed_return' });
  });

  it('V3: plan names go through the content guard too', () => {
    const content = { ...level2, plans: [{ ...level2.plans[0], name: '保本套餐' }] };
    spec.given([]).when({ type: 'DraftListing', listingId, actor: maker, at, content }).thenFails('CONTENT.PROHIBITED_PHRASE', 'V3');
  });

  it('L1: a draft is submitted for review', () => {
    spec
      .given([drafted(level2)])
      .when({ type: 'SubmitListing', listingId, actor: maker, at })
      .then([submitted('value_added')]);
  });

  it('L3: an advisory listing missing its advisory terms is refused at submission, listing what is missing', () => {
    const content = { ...strategy, advisory: { ...advisoryTerms, advisors: [], contractVersion: undefined } };
    const error = spec
      .given([drafted(content)])
      .when({ type: 'SubmitListing', listingId, actor: maker, at })
      .thenFails('CATALOG.ADVISORY_TERMS_MISSING', 'L3');
    expect(error.details).toEqual({ missing: ['advisors', 'contractVersion'] });
  });

  it('L3: an advisor without a valid SAC registration code is refused at submission', () => {
    const content = {
      ...strategy,
      advisory: { ...advisoryTerms, advisors: [{ advisorId: 'a', name: '李四', sacRegistrationCode: '12345' }] },
    };
    const error = spec
      .given([drafted(content)])
      .when({ type: 'SubmitListing', listingId, actor: maker, at })
      .thenFails('CATALOG.ADVISORY_TERMS_MISSING', 'L3');
    expect(error.details).toEqual({ missing: ['advisors[0].sacRegistrationCode'] });
  });

  it('L3: a risk level without its factor sheet is refused at submission', () => {
    const content = { ...strategy, advisory: { ...advisoryTerms, riskFactors: { liquidity: 2 } } };
    spec
      .given([drafted(content)])
      .when({ type: 'SubmitListing', listingId, actor: maker, at })
      .thenFails('CATALOG.ADVISORY_TERMS_MISSING', 'L3');
  });

  it('V1: a value-added listing whose copy gives buy/sell timing is advisory by function and is refused', () => {
    const content = { ...level2, kind: 'tool' as const, description: '每日推送买卖信号和目标价' };
    spec
      .given([{ type: E.Drafted, data: { listingId, family: 'value_added', content, by: maker.id, at } }])
      .when({ type: 'SubmitListing', listingId, actor: maker, at })
      .thenFails('CATALOG.ADVISORY_FUNCTION_IN_VALUE_ADDED', 'V1');
  });

  it('L2: the submitter cannot approve their own listing', () => {
    spec
      .given([drafted(level2), submitted('value_added')])
      .when({
        type: 'ApproveListing',
        listingId,
        actor: { id: maker.id, roles: ['product_manager', 'compliance_officer'] },
        at,
        confirmedFamily: 'value_added',
      })
      .thenFails('CATALOG.MAKER_CANNOT_CHECK', 'L2');
  });

  it('L2: another product manager may approve a value-added listing', () => {
    spec
      .given([drafted(level2), submitted('value_added')])
      .when({ type: 'ApproveListing', listingId, actor: otherPm, at, confirmedFamily: 'value_added' })
      .then([{ type: E.Approved, data: { listingId, family: 'value_added', by: otherPm.id, at } }]);
  });

  it('L2: an advisory listing is approved by a compliance officer only', () => {
    spec
      .given([drafted(strategy), submitted('advisory')])
      .when({ type: 'ApproveListing', listingId, actor: otherPm, at, confirmedFamily: 'advisory' })
      .thenFails('CATALOG.COMPLIANCE_OFFICER_REQUIRED', 'L2');
    spec
      .given([drafted(strategy), submitted('advisory')])
      .when({ type: 'ApproveListing', listingId, actor: compliance, at, confirmedFamily: 'advisory' })
      .then([approved('advisory')]);
  });

  it('L2: an admin cannot approve listings', () => {
    spec
      .given([drafted(level2), submitted('value_added')])
      .when({ type: 'ApproveListing', listingId, actor: admin, at, confirmedFamily: 'value_added' })
      .thenFails('CATALOG.REVIEWER_ROLE_REQUIRED', 'L2');
  });

  it('V1: the reviewer fixes the family; a reviewer who classifies it differently cannot approve it as submitted', () => {
    spec
      .given([drafted(level2), submitted('value_added')])
      .when({ type: 'ApproveListing', listingId, actor: compliance, at, confirmedFamily: 'advisory' })
      .thenFails('CATALOG.FAMILY_MISMATCH', 'V1');
  });

  it('L1: a rejected listing states why, and can be revised and resubmitted', () => {
    const rejected: ListingEvent = { type: E.Rejected, data: { listingId, by: compliance.id, at, reason: 'copy unclear' } };
    spec
      .given([drafted(level2), submitted('value_added')])
      .when({ type: 'RejectListing', listingId, actor: compliance, at, reason: 'copy unclear' })
      .then([rejected]);
    spec
      .given([drafted(level2), submitted('value_added'), rejected])
      .when({ type: 'ReviseListing', listingId, actor: maker, at, content: level2 })
      .then([
        { type: E.Revised, data: { listingId, family: 'value_added', content: level2, by: maker.id, at, previousStatus: 'rejected' } },
      ]);
  });

  it('L1: only approved listings are published, only published ones retired', () => {
    spec
      .given([drafted(level2)])
      .when({ type: 'PublishListing', listingId, actor: maker, at })
      .thenFails('CATALOG.INVALID_TRANSITION', 'L1');
    spec
      .given([drafted(level2), submitted('value_added'), approved('value_added')])
      .when({ type: 'PublishListing', listingId, actor: maker, at })
      .then([published('value_added')]);
    spec
      .given([drafted(level2), submitted('value_added'), approved('value_added'), published('value_added')])
      .when({ type: 'RetireListing', listingId, actor: maker, at, reason: 'discontinued' })
      .then([{ type: E.Retired, data: { listingId, by: maker.id, at, reason: 'discontinued' } }]);
    spec
      .given([drafted(level2), submitted('value_added')])
      .when({ type: 'RetireListing', listingId, actor: maker, at, reason: 'x' })
      .thenFails('CATALOG.INVALID_TRANSITION', 'L1');
  });

  it('V1: changing the family of a published listing takes it back to draft for a new review', () => {
    const history = [drafted(level2), submitted('value_added'), approved('value_added'), published('value_added')];
    spec
      .given(history)
      .when({ type: 'ReviseListing', listingId, actor: maker, at, content: strategy })
      .then([
        { type: E.Revised, data: { listingId, family: 'advisory', content: strategy, by: maker.id, at, previousStatus: 'published' } },
      ]);
    const revised: ListingEvent = {
      type: E.Revised,
      data: { listingId, family: 'advisory', content: strategy, by: maker.id, at, previousStatus: 'published' },
    };
    spec
      .given([...history, revised])
      .when({ type: 'PublishListing', listingId, actor: maker, at })
      .thenFails('CATALOG.INVALID_TRANSITION', 'L1');
  });

  describe('L4: risk-rating change is its own reviewed flow', () => {
    const live = [drafted(strategy), submitted('advisory'), approved('advisory'), published('advisory')];
    const factors = { liquidity: 3, principalLoss: 4, complexity: 4, leverage: 2 };
    const requested: ListingEvent = {
      type: E.RiskRatingChangeSubmitted,
      data: { listingId, changeId: 'rc-1', from: 'R3', to: 'R4', riskFactors: factors, reason: 'added small caps', by: maker.id, at },
    };

    it('L4: a product manager submits an upward change with its factor sheet', () => {
      spec
        .given(live)
        .when({
          type: 'SubmitRiskRatingChange',
          listingId,
          actor: maker,
          at,
          changeId: 'rc-1',
          riskLevel: 'R4',
          riskFactors: factors,
          reason: 'added small caps',
        })
        .then([requested]);
    });

    it('L2/L4: the requester cannot approve it and a product manager cannot approve it', () => {
      spec
        .given([...live, requested])
        .when({ type: 'ApproveRiskRatingChange', listingId, actor: otherPm, at, changeId: 'rc-1' })
        .thenFails('CATALOG.COMPLIANCE_OFFICER_REQUIRED', 'L2');
      spec
        .given([...live, requested])
        .when({ type: 'ApproveRiskRatingChange', listingId, actor: { id: maker.id, roles: ['compliance_officer'] }, at, changeId: 'rc-1' })
        .thenFails('CATALOG.MAKER_CANNOT_CHECK', 'L2');
    });

    it('L4: compliance approves it; the event says the change is upward so suitability is re-run', () => {
      spec
        .given([...live, requested])
        .when({ type: 'ApproveRiskRatingChange', listingId, actor: compliance, at, changeId: 'rc-1' })
        .then([
          {
            type: E.RiskRatingChangeApproved,
            data: { listingId, changeId: 'rc-1', from: 'R3', to: 'R4', upward: true, by: compliance.id, at },
          },
        ]);
    });

    it('L4: one change at a time', () => {
      spec
        .given([...live, requested])
        .when({
          type: 'SubmitRiskRatingChange',
          listingId,
          actor: maker,
          at,
          changeId: 'rc-2',
          riskLevel: 'R5',
          riskFactors: factors,
          reason: 'x',
        })
        .thenFails('CATALOG.RATING_CHANGE_PENDING');
    });

    it('L4: value-added listings have no risk rating', () => {
      spec
        .given([drafted(level2), submitted('value_added'), approved('value_added'), published('value_added')])
        .when({
          type: 'SubmitRiskRatingChange',
          listingId,
          actor: maker,
          at,
          changeId: 'rc-1',
          riskLevel: 'R2',
          riskFactors: factors,
          reason: 'x',
        })
        .thenFails('CATALOG.NOT_ADVISORY', 'L4');
    });

    it('L4: after approval the listing carries the new level', () => {
      const approvedChange: ListingEvent = {
        type: E.RiskRatingChangeApproved,
        data: { listingId, changeId: 'rc-1', from: 'R3', to: 'R4', upward: true, by: compliance.id, at },
      };
      const state = [...live, requested, approvedChange].reduce(listingDecider.evolve, listingDecider.initialState);
      expect(state.status !== 'none' && state.content.advisory?.riskLevel).toBe('R4');
    });
  });
});
