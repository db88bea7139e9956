import { checkTemplate, MessageTemplate, ProductOpinion, refuseAdvisoryMessage } from './compliance';

const template = (extra: Partial<MessageTemplate> = {}): MessageTemplate => ({
  title: '市场提醒',
  body: '今日指数上涨，来看看您的自选股',
  productId: null,
  productFamily: null,
  incentive: null,
  ...extra,
});
const matched: ProductOpinion = {
  published: true,
  accountOpen: true,
  assessmentInForce: true,
  lowestCategory: false,
  classification: 'ordinary',
  levelFit: 'within',
  objectiveFit: true,
  decision: 'match',
};

describe('message compliance (G3)', () => {
  it('G3/V3: given a template promising returns, when it is checked, then the content guard refuses it naming V3', () => {
    const refused = checkTemplate(template({ body: '跟着策略稳赚不赔' }));
    expect(refused).toMatchObject({ code: 'CONTENT.PROHIBITED_PHRASE', rule: 'V3' });
  });
  it('G3/V2: given a message about an advisory product, when it carries points, then it is refused naming V2', () => {
    expect(
      checkTemplate(template({ productId: 'p1', productFamily: 'advisory', incentive: { kind: 'points', reference: '100' } })),
    ).toMatchObject({ code: 'REACH.INCENTIVE_ON_ADVISORY', rule: 'V2' });
  });
  it('G3/V2: a value-added product may carry a coupon', () => {
    expect(
      checkTemplate(template({ productId: 'p1', productFamily: 'value_added', incentive: { kind: 'coupon', reference: 'NEW10' } })),
    ).toBeNull();
  });
  it('G3: given a matching opinion, the advisory product may appear', () => {
    expect(refuseAdvisoryMessage(matched)).toBeNull();
  });
  it('G3: given the lowest category, even a within-level product is refused', () => {
    expect(refuseAdvisoryMessage({ ...matched, lowestCategory: true })).toMatchObject({ code: 'REACH.LOWEST_CATEGORY', rule: 'G3' });
  });
  it('G3 (SM 22(3)): given an ordinary investor below the product level, it is refused', () => {
    expect(refuseAdvisoryMessage({ ...matched, levelFit: 'above', decision: 'refused' })).toMatchObject({
      code: 'REACH.ABOVE_RISK_LEVEL',
      rule: 'G3',
    });
  });
  it('G3 (SM 22(3)-(4)): given objectives the product does not fit, it is refused', () => {
    expect(refuseAdvisoryMessage({ ...matched, objectiveFit: false, decision: 'refused' })).toMatchObject({
      code: 'REACH.AGAINST_OBJECTIVES',
      rule: 'G3',
    });
  });
  it('G3: given no assessment in force, there is no opinion to allow it', () => {
    expect(
      refuseAdvisoryMessage({ ...matched, assessmentInForce: false, levelFit: null, objectiveFit: null, decision: 'refused' }),
    ).toMatchObject({ code: 'REACH.NO_MATCHING_OPINION', rule: 'G3' });
  });
  it('G3: a professional whose opinion matches may receive any level', () => {
    expect(refuseAdvisoryMessage({ ...matched, classification: 'professional', levelFit: 'above' })).toBeNull();
  });
  it('G3: a product not on sale is never promoted', () => {
    expect(refuseAdvisoryMessage({ ...matched, published: false })).toMatchObject({ code: 'REACH.PRODUCT_NOT_PUBLISHED', rule: 'G3' });
  });
});
