import { isDomainError } from '@app/common';
import type { ListingState } from '@app/catalog';
import { contentHash, findDocument } from '../domain';
import { advisoryProductFrom } from './catalog-product';

const listing = (overrides: Record<string, unknown> = {}, advisory: Record<string, unknown> = {}): ListingState =>
  ({
    status: 'published',
    listingId: 'l-1',
    family: 'advisory',
    content: {
      kind: 'stock_picking_strategy',
      title: '价值精选组合',
      description: '',
      plans: [
        { planId: 'quarterly', name: '季度', priceMinor: 98000, currency: 'CNY', billingPeriod: 'quarter' },
        { planId: 'once', name: '单次', priceMinor: 1000, currency: 'CNY', billingPeriod: 'one_off' },
      ],
      advisory: {
        riskLevel: 'R3',
        horizon: 'medium',
        varieties: ['a_shares', 'hk_shares', 'etf'],
        advisors: [{ advisorId: 'a-1', name: '李明', sacRegistrationCode: 'S0260611080001' }],
        feeBasis: 'fixed_subscription',
        riskDisclosureVersion: 'RD-2025.1',
        contractVersion: 'AC-2025.1',
        ...advisory,
      },
    },
    ...overrides,
  }) as unknown as ListingState;

describe('reading a catalog listing as an advisory product (L3)', () => {
  it('L3: takes risk level, horizon, asset classes, advisors, the plan’s fee per period and the documents by hash', () => {
    const product = advisoryProductFrom(listing(), 'quarterly', 2);
    expect(product).toMatchObject({
      productId: 'l-1',
      planId: 'quarterly',
      published: true,
      riskLevel: 'R3',
      ratingVersion: 2,
      varieties: ['equities', 'funds'],
      feeBasis: { kind: 'fixed_per_period', amountMinor: 98000, currency: 'CNY', periodMonths: 3 },
      riskDisclosure: { version: 'RD-2025.1', contentHash: contentHash(findDocument('risk_disclosure', 'RD-2025.1')!.text) },
      contractTemplateVersion: 'AC-2025.1',
    });
  });

  it('V1: a value-added listing is not an advisory product', () => {
    const result = advisoryProductFrom(listing({ family: 'value_added' }), undefined, 1);
    expect(isDomainError(result) && [result.code, result.rule]).toEqual(['PRODUCT.NOT_ADVISORY', 'V1']);
  });

  it('L3: advisory services are sold per period, not one-off', () => {
    const result = advisoryProductFrom(listing(), 'once', 1);
    expect(isDomainError(result) && [result.code, result.rule]).toEqual(['PRODUCT.PLAN_NOT_PERIODIC', 'L3']);
  });

  it('A6: an unknown risk disclosure version makes the product unpurchasable', () => {
    const result = advisoryProductFrom(listing({}, { riskDisclosureVersion: 'RD-1999.1' }), undefined, 1);
    expect(isDomainError(result) && [result.code, result.rule]).toEqual(['PRODUCT.DOCUMENT_UNKNOWN', 'A6']);
  });

  it('L1: a listing that is not published reads as unpublished', () => {
    expect(advisoryProductFrom(listing({ status: 'retired' }), undefined, 1)).toMatchObject({ published: false });
  });
});
