/**
 * Real-name data checks for account opening (A1): the GB 11643-1999 citizen identity number, mainland mobile numbers,
 * and the masked forms that are the only personal data allowed into events and logs (E3).
 */
import { localDate } from './shared';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK_CHARS = '10X98765432';

/** First two digits: the province-level division codes in use (GB/T 2260), plus 71/81/82/83 for TW/HK/MO residents. */
const PROVINCE_CODES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

export type NationalIdProblem = 'format' | 'region' | 'birth_date' | 'checksum';

export type NationalIdCheck =
  | { readonly ok: true; readonly normalized: string; readonly birthDate: string }
  | { readonly ok: false; readonly problem: NationalIdProblem };

/** ISO 7064 MOD 11-2 check character for the first 17 digits. */
export const nationalIdCheckChar = (first17: string): string => {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK_CHARS[sum % 11];
};

const isCalendarDate = (year: number, month: number, day: number): boolean => {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
};

/** Validates an 18-digit identity number at `nowIso` (a birth date in the future is false data). */
export const checkNationalId = (raw: string, nowIso: string): NationalIdCheck => {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, problem: 'format' };
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return { ok: false, problem: 'region' };
  const year = Number(id.slice(6, 10));
  const month = Number(id.slice(10, 12));
  const day = Number(id.slice(12, 14));
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (year < 1900 || !isCalendarDate(year, month, day) || birthDate > localDate(nowIso)) return { ok: false, problem: 'birth_date' };
  if (nationalIdCheckChar(id.slice(0, 17)) !== id[17]) return { ok: false, problem: 'checksum' };
  return { ok: true, normalized: id, birthDate };
};

export const ADULT_AGE = 18;

/** Mainland mobile numbers: 11 digits starting 13–19; an optional +86/86 prefix is accepted and dropped. */
export const normalizeMobile = (raw: string): string | null => {
  const compact = raw.replace(/[\s-]/g, '').replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(compact) ? compact : null;
};

export const maskNationalId = (id: string): string => `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;

export const maskMobile = (mobile: string): string => `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;

/** Keeps the first character (the family name in most Chinese names, the initial otherwise). */
export const maskLegalName = (name: string): string => {
  const chars = Array.from(name.trim());
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
};

/** A legal name is present and plausible: 2–64 characters, letters (any script), middle dot, spaces, hyphens. */
export const isPlausibleLegalName = (name: string): boolean => {
  const trimmed = name.trim();
  return Array.from(trimmed).length >= 2 && Array.from(trimmed).length <= 64 && /^[\p{L}\p{M}·•.\s'-]+$/u.test(trimmed);
};
