import { formatMoney, money } from './money';

describe('Money', () => {
  it('shows minor units with two decimal places', () => {
    expect(formatMoney(money(99_900, 'CNY'))).toBe('CNY 999.00');
    expect(formatMoney(money(1_05, 'HKD'))).toBe('HKD 1.05');
  });

  it('refuses an amount that is not an integer number of minor units', () => {
    expect(() => money(9.99, 'CNY')).toThrow(expect.objectContaining({ code: 'MONEY.NOT_INTEGER' }));
  });
});
