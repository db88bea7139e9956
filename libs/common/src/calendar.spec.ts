import { ageOn } from './calendar';

describe('ageOn', () => {
  it('counts a year completed on the birthday itself, not the day before', () => {
    expect(ageOn('2008-03-02', '2026-03-02')).toBe(18);
    expect(ageOn('2008-03-02', '2026-03-01')).toBe(17);
    expect(ageOn('2008-12-31', '2026-01-01')).toBe(17);
  });

  it('makes someone born on 29 February a year older on 1 March in a common year', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });
});
