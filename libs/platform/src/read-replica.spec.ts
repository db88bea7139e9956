import { formatLsn, parseLsn } from './read-replica';

describe('WAL positions carried in X-Read-After', () => {
  it('orders positions by their log file part before their offset', () => {
    // given positions as PostgreSQL prints them
    const [earlier, later] = [parseLsn('0/FFFFFFFF'), parseLsn('1/0')];
    // then the one in the later log file is later, though its offset is smaller
    expect(earlier).toBeDefined();
    expect(later! > earlier!).toBe(true);
  });

  it('prints a position back as PostgreSQL does', () => {
    expect(formatLsn(parseLsn('16/B374D848')!)).toBe('16/B374D848');
    expect(formatLsn(parseLsn('0/3000148')!)).toBe('0/3000148');
  });

  it('ignores anything that is not a position, so a client cannot make reads wait on garbage', () => {
    for (const garbage of [undefined, '', '16', '16/', '/1', 'G/1', '1/2/3', '123456789/0', ['0/1'], '0/1; DROP'])
      expect(parseLsn(garbage)).toBeUndefined();
  });
});
