import fc from 'fast-check';
import { identityHolds, mauFromCounts, mauFromSets, monthlyKind } from './mau';

describe('the MAU identity (seed 004, signs corrected)', () => {
  it('given last month {a, b, c} and this month {b, c, d, e} with e registered this month, then retained 2, new 1, returned 1, churned 1', () => {
    const last = new Set(['a', 'b', 'c']);
    const now = new Set(['b', 'c', 'd', 'e']);
    const breakdown = mauFromSets(last, now, new Set(['e']));
    expect(breakdown).toEqual({ mauLastMonth: 3, mau: 4, retained: 2, new: 1, returned: 1, churned: 1 });
    // MAU_this = MAU_last − churned + new + returned: 4 = 3 − 1 + 1 + 1.
    expect(breakdown.mau).toBe(breakdown.mauLastMonth - breakdown.churned + breakdown.new + breakdown.returned);
    // The seed's version (last month + churned − returned) gives 3 + 1 − 1 = 3, which is not this month's 4.
    expect(breakdown.mauLastMonth + breakdown.churned - breakdown.returned).not.toBe(breakdown.mau);
  });

  it('an investor active last month counts as retained even when registered this month, so last month splits into retained + churned', () => {
    expect(monthlyKind(true, true)).toBe('retained');
    expect(monthlyKind(false, true)).toBe('new');
    expect(monthlyKind(false, false)).toBe('returned');
  });

  it('for any two months of activity: MAU_this = MAU_last − churned + new + returned, and the counts of the rollup give the same breakdown', () => {
    const ids = fc.uniqueArray(fc.integer({ min: 0, max: 60 }).map(String), { maxLength: 40 });
    fc.assert(
      fc.property(ids, ids, ids, (last, now, registered) => {
        const breakdown = mauFromSets(new Set(last), new Set(now), new Set(registered));
        expect(identityHolds(breakdown)).toBe(true);
        expect(breakdown.mauLastMonth).toBe(breakdown.retained + breakdown.churned);
        expect(mauFromCounts(breakdown.mauLastMonth, breakdown)).toEqual(breakdown);
      }),
    );
  });

  it('a breakdown whose parts do not add up is reported as not holding', () => {
    expect(identityHolds({ mauLastMonth: 3, mau: 4, retained: 2, new: 1, returned: 0, churned: 1 })).toBe(false);
  });
});
