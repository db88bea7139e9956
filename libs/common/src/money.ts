import { invalid } from './errors';

/** Money in integer minor units (fen for CNY). Never a float. */
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
