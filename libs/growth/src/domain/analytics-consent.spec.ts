import { deciderSpec } from '@app/common/testing';
import { analyticsConsentDecider } from './analytics-consent';

const spec = deciderSpec(analyticsConsentDecider);
const step = { actorId: 'inv-1', at: '2026-12-01T01:00:00.000Z', channel: 'app' as const };
const given = { type: 'growth.AnalyticsConsentGiven' as const, data: { investorId: 'inv-1', step } };

describe('analytics consent (G7)', () => {
  it('G7: the investor gives consent', () =>
    spec.given([]).when({ type: 'GiveAnalyticsConsent', investorId: 'inv-1', step }).then([given]));

  it('G7: giving it again changes nothing', () =>
    spec.given([given]).when({ type: 'GiveAnalyticsConsent', investorId: 'inv-1', step }).then([]));

  it('G7: the investor withdraws it', () =>
    spec
      .given([given])
      .when({ type: 'WithdrawAnalyticsConsent', investorId: 'inv-1', step })
      .then([{ type: 'growth.AnalyticsConsentWithdrawn', data: { investorId: 'inv-1', step } }]));

  it('G7: withdrawing what was never given records nothing', () =>
    spec.given([]).when({ type: 'WithdrawAnalyticsConsent', investorId: 'inv-1', step }).then([]));

  it('G7: nobody else gives consent for the investor', () => {
    spec
      .given([])
      .when({ type: 'GiveAnalyticsConsent', investorId: 'inv-1', step: { ...step, actorId: 'staff-1' } })
      .thenFails('GROWTH.CONSENT_NOT_YOURS', 'G7');
  });
});
