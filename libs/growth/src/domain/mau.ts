/**
 * The MAU identity (seed 004, with the signs put right). Of the investors active this month:
 *   retained = active last month and this month,
 *   new      = registered this month (and not active last month),
 *   returned = registered before, not active last month, active this month;
 * of those active last month, churned = not active this month. Hence
 *   MAU_this = retained + new + returned   and   MAU_last = retained + churned,
 *   so MAU_this = MAU_last − churned + new + returned.
 * The seed writes the month's users as last month's plus churned minus returned; churn subtracts and returns add.
 */
export type MonthlyKind = 'retained' | 'new' | 'returned';

export interface MauBreakdown {
  readonly mauLastMonth: number;
  readonly mau: number;
  readonly retained: number;
  readonly new: number;
  readonly returned: number;
  readonly churned: number;
}

/**
 * How an investor active this month counts: retained when also active last month (whatever the registration date,
 * so that last month's actives split exactly into retained and churned), else new when registered this month, else
 * returned.
 */
export const monthlyKind = (activeLastMonth: boolean, registeredThisMonth: boolean): MonthlyKind =>
  activeLastMonth ? 'retained' : registeredThisMonth ? 'new' : 'returned';

/** The breakdown from the two months' active sets and the registrations of this month (the definition, by sets). */
export const mauFromSets = (
  activeLast: ReadonlySet<string>,
  activeThis: ReadonlySet<string>,
  registeredThisMonth: ReadonlySet<string>,
): MauBreakdown => {
  const counts = { retained: 0, new: 0, returned: 0 };
  for (const investor of activeThis) counts[monthlyKind(activeLast.has(investor), registeredThisMonth.has(investor))] += 1;
  let churned = 0;
  for (const investor of activeLast) if (!activeThis.has(investor)) churned += 1;
  return { mauLastMonth: activeLast.size, mau: activeThis.size, ...counts, churned };
};

/** The breakdown from the rollup's counts: this month's rows by kind and last month's total. */
export const mauFromCounts = (mauLastMonth: number, kinds: Readonly<Record<MonthlyKind, number>>): MauBreakdown => ({
  mauLastMonth,
  mau: kinds.retained + kinds.new + kinds.returned,
  retained: kinds.retained,
  new: kinds.new,
  returned: kinds.returned,
  churned: mauLastMonth - kinds.retained,
});

/** MAU_this = MAU_last − churned + new + returned (true of every breakdown built above; a check for reports). */
export const identityHolds = (b: MauBreakdown): boolean =>
  b.mau === b.mauLastMonth - b.churned + b.new + b.returned && b.mau === b.retained + b.new + b.returned;
