import { Step, fold } from '@app/common';
import { deciderSpec } from '@app/common/testing';
import { LedgerCommand, LedgerEvent, LedgerEventTypes as E, SpendPurpose, pointsLedgerDecider, spendableAt } from './points-ledger';

const spec = deciderSpec(pointsLedgerDecider);
const step = (at: string): Step => ({ actorId: 'inv-1', at, channel: 'app' });
const source = { kind: 'campaign', campaignId: 'spring' } as const;
const awarded = (awardId: string, points: number, at: string, expiresAt: string): LedgerEvent => ({
  type: E.Awarded,
  data: { investorId: 'inv-1', awardId, points, expiresAt, source, step: step(at) },
});
const award = (awardId: string, points: number, at: string, expiresAt: string): LedgerCommand => ({
  type: 'AwardPoints',
  investorId: 'inv-1',
  awardId,
  points,
  expiresAt,
  source,
  step: step(at),
});
const purpose: SpendPurpose = {
  kind: 'value_added_discount',
  redemptionId: 'r-1',
  optionId: 'cny-10',
  listingId: 'L2',
  couponCode: 'PTS-R1',
};
const spend = (points: number, at: string, spendId = 'r-1'): LedgerCommand => ({
  type: 'SpendPoints',
  investorId: 'inv-1',
  spendId,
  points,
  purpose,
  step: step(at),
});

const JAN = '2026-01-10T00:00:00.000Z';
const FEB = '2026-02-10T00:00:00.000Z';
const MAR = '2026-03-10T00:00:00.000Z';

describe('points ledger (G5)', () => {
  it('awards points as a lot with its expiry', () => {
    spec
      .given([])
      .when(award('a-1', 100, JAN, MAR))
      .then([awarded('a-1', 100, JAN, MAR)]);
  });

  it('G5: an award is idempotent by award id (a repeat adds nothing)', () => {
    spec
      .given([awarded('a-1', 100, JAN, MAR)])
      .when(award('a-1', 100, JAN, MAR))
      .then([]);
  });

  it('refuses non-positive or fractional awards and an expiry before the award', () => {
    spec
      .given([])
      .when(award('a-1', 0, JAN, MAR))
      .thenFails('POINTS.AMOUNT_INVALID');
    spec
      .given([])
      .when(award('a-1', 1.5, JAN, MAR))
      .thenFails('POINTS.AMOUNT_INVALID');
    spec
      .given([])
      .when(award('a-1', 10, MAR, JAN))
      .thenFails('POINTS.EXPIRY_INVALID');
  });

  it('G5: the ledger never goes negative: spending more than the balance is refused', () => {
    spec.given([]).when(spend(1, JAN)).thenFails('POINTS.INSUFFICIENT', 'G5');
    const refused = spec
      .given([awarded('a-1', 100, JAN, MAR)])
      .when(spend(101, FEB))
      .thenFails('POINTS.INSUFFICIENT', 'G5');
    expect(refused.details).toEqual({ balance: 100, needed: 101 });
  });

  it('G5: spending consumes the oldest lots first (first in, first out)', () => {
    spec
      .given([awarded('a-1', 30, JAN, MAR), awarded('a-2', 50, FEB, MAR), awarded('a-3', 40, FEB, MAR)])
      .when(spend(60, FEB))
      .thenMatches([
        {
          type: E.Spent,
          data: {
            points: 60,
            lots: [
              { lotId: 'a-1', points: 30 },
              { lotId: 'a-2', points: 30 },
            ],
          },
        },
      ]);
  });

  it('G5: expired points are written off before a spend and cannot be spent', () => {
    const history = [awarded('a-1', 100, JAN, FEB), awarded('a-2', 50, JAN, '2026-04-01T00:00:00.000Z')];
    spec.given(history).when(spend(120, MAR)).thenFails('POINTS.INSUFFICIENT', 'G5');
    spec
      .given(history)
      .when(spend(40, MAR))
      .thenMatches([
        { type: E.Expired, data: { points: 100, lots: [{ lotId: 'a-1', points: 100 }] } },
        { type: E.Spent, data: { points: 40, lots: [{ lotId: 'a-2', points: 40 }] } },
      ]);
  });

  it('G5: expiry writes off what is left of the due lots, first in first out, and only those', () => {
    const history = [
      awarded('a-1', 100, JAN, FEB),
      awarded('a-2', 50, JAN, MAR),
      {
        type: E.Spent,
        data: { investorId: 'inv-1', spendId: 's', points: 70, lots: [{ lotId: 'a-1', points: 70 }], purpose, step: step(JAN) },
      } as LedgerEvent,
    ];
    spec
      .given(history)
      .when({ type: 'ExpirePoints', investorId: 'inv-1', step: step(FEB) })
      .then([{ type: E.Expired, data: { investorId: 'inv-1', points: 30, lots: [{ lotId: 'a-1', points: 30 }], step: step(FEB) } }]);
    spec
      .given(history)
      .when({ type: 'ExpirePoints', investorId: 'inv-1', step: step('2026-01-31T00:00:00.000Z') })
      .then([]);
  });

  it('a spend is idempotent by spend id', () => {
    const spent: LedgerEvent = {
      type: E.Spent,
      data: { investorId: 'inv-1', spendId: 'r-1', points: 10, lots: [{ lotId: 'a-1', points: 10 }], purpose, step: step(FEB) },
    };
    spec
      .given([awarded('a-1', 100, JAN, MAR), spent])
      .when(spend(10, FEB))
      .then([]);
  });

  it('the balance folds awards, spends and expiries, and what is spendable excludes expired lots', () => {
    const events = spec
      .given([awarded('a-1', 100, JAN, FEB), awarded('a-2', 50, JAN, MAR)])
      .when(spend(120, JAN))
      .thenEvents();
    const state = fold(pointsLedgerDecider, [awarded('a-1', 100, JAN, FEB), awarded('a-2', 50, JAN, MAR), ...events]);
    expect(state).toMatchObject({ status: 'open', balance: 30, lots: [{ lotId: 'a-2', remaining: 30 }] });
    expect(spendableAt(fold(pointsLedgerDecider, [awarded('a-1', 100, JAN, FEB), awarded('a-2', 50, JAN, MAR)]), MAR)).toBe(0);
    expect(
      spendableAt(fold(pointsLedgerDecider, [awarded('a-1', 100, JAN, FEB), awarded('a-2', 50, JAN, MAR)]), '2026-02-15T00:00:00.000Z'),
    ).toBe(50);
  });
});
