import { ageOn } from '@app/common';
import { localDate } from './shared';
import { checkNationalId, maskLegalName, maskMobile, maskNationalId, nationalIdCheckChar, normalizeMobile } from './real-name';

const NOW = '2026-03-02T02:00:00.000Z';

describe('A1 GB 11643-1999 national ID', () => {
  it('accepts the published example number and derives the birth date', () => {
    expect(checkNationalId('11010519491231002X', NOW)).toEqual({ ok: true, normalized: '11010519491231002X', birthDate: '1949-12-31' });
  });

  it('accepts a lower-case check character', () => {
    expect(checkNationalId('11010519491231002x', NOW)).toMatchObject({ ok: true, normalized: '11010519491231002X' });
  });

  it('computes the ISO 7064 MOD 11-2 check character', () => {
    expect(nationalIdCheckChar('11010519491231002')).toBe('X');
    expect(nationalIdCheckChar('44052418800101001')).toBe('4');
  });

  it('refuses a wrong check character', () => {
    expect(checkNationalId('110105194912310021', NOW)).toEqual({ ok: false, problem: 'checksum' });
  });

  it.each([
    ['too short', '1101051949123100'],
    ['letters inside', '11010519A9123100X'],
    ['X not at the end', '1101051949123100X2'],
  ])('refuses a malformed number (%s)', (_label, id) => {
    expect(checkNationalId(id, NOW)).toEqual({ ok: false, problem: 'format' });
  });

  it('refuses an unknown province code', () => {
    const first17 = '99010519491231002';
    expect(checkNationalId(first17 + nationalIdCheckChar(first17), NOW)).toEqual({ ok: false, problem: 'region' });
  });

  it.each([
    ['30 February', '11010519900230001'],
    ['month 13', '11010519901301001'],
    ['born in the future', '11010520300101001'],
    ['before 1900', '11010518991231001'],
  ])('refuses an impossible birth date (%s) even with a correct checksum', (_label, first17) => {
    expect(checkNationalId(first17 + nationalIdCheckChar(first17), NOW)).toEqual({ ok: false, problem: 'birth_date' });
  });

  it('accepts 29 February in a leap year', () => {
    const first17 = '11010520000229001';
    expect(checkNationalId(first17 + nationalIdCheckChar(first17), NOW)).toMatchObject({ ok: true, birthDate: '2000-02-29' });
  });

  it('counts age on the Beijing calendar date', () => {
    // 2026-03-01T17:00Z is already 2 March in Beijing.
    expect(ageOn('2008-03-02', localDate('2026-03-01T17:00:00.000Z'))).toBe(18);
    expect(ageOn('2008-03-02', localDate('2026-03-01T15:00:00.000Z'))).toBe(17);
  });
});

describe('A1 mobile numbers and masking (E3)', () => {
  it.each([
    ['13812345678', '13812345678'],
    ['+86 138 1234 5678', '13812345678'],
    ['8613812345678', '13812345678'],
    ['12812345678', null],
    ['1381234567', null],
    ['138123456789', null],
  ])('normalizes %s', (raw, expected) => {
    expect(normalizeMobile(raw)).toBe(expected);
  });

  it('masks the national ID, mobile and name', () => {
    expect(maskNationalId('11010519491231002X')).toBe('1101**********002X');
    expect(maskMobile('13812345678')).toBe('138****5678');
    expect(maskLegalName('张三丰')).toBe('张**');
    expect(maskLegalName('Li')).toBe('L*');
  });
});
