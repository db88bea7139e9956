/**
 * Completed years of age on a calendar date (both `YYYY-MM-DD`). Whose calendar the date is on is the caller's rule:
 * advisory takes the Beijing date of the command's instant, tipping the business date.
 */
export const ageOn = (birthDate: string, date: string): number => {
  const years = Number(date.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return date.slice(5, 10) >= birthDate.slice(5, 10) ? years : years - 1;
};
