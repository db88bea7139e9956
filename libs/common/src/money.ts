import { invalid } from './errors';

/**
 * Money in integer minor units (fen for CNY), never a float: the one money type for new commands, states and event
 * data in every context (docs/development.md, "Money"). Older event shapes keep their bytes (`priceMinor`, a flat
 * `amountMinor` beside `currency`); read them into `Money` at the edge of the code that uses them.
 */
export interface Money {
  readonly amountMinor: number;
  readonly currency: string;
}

export const CURRENCIES = ['CNY', 'HKD', 'USD'] as const;

export const money = (amountMinor: number, currency: string): Money => {
  if (!Number.isSafeInteger(amountMinor)) throw invalid('MONEY.NOT_INTEGER', 'amounts are integers in minor units');
  return { amountMinor, currency };
};

export const sameCurrency = (a: Money, b: Money): boolean => a.currency === b.currency;

/** `CNY 999.00`: an amount as documents show it (every listed currency has two decimal places). */
export const formatMoney = ({ amountMinor, currency }: Money): string =>
  `${currency} ${Math.trunc(amountMinor / 100)}.${String(Math.abs(amountMinor % 100)).padStart(2, '0')}`;
