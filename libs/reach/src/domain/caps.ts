/**
 * G2: the frequency caps as counters, one per investor, channel and Beijing ISO week: the week's count and the count of
 * the latest Beijing day it saw. A decision reads them, decides who may be sent a message now, and its append raises
 * them in the same transaction, each only while it stays under both caps: a sender that decided on a count another
 * sender has raised since loses the race and decides again (see the application's cap counters). Pure: the counts come
 * in as facts.
 */
import { beijingDay, beijingWeek, ChannelCaps } from './policy';

export type CapReason = 'daily_cap' | 'weekly_cap';

/** One investor's counter for one channel, as read: the week it is for, its count, and its latest day's count. */
export interface CapCount {
  readonly week: string;
  readonly weekCount: number;
  readonly day: string;
  readonly dayCount: number;
}

/** G2: why one more message at `at` would break a cap, or null when it may be sent. The week's cap is checked first. */
export const capReason = (count: CapCount | undefined, caps: ChannelCaps, at: string): CapReason | null => {
  const current = count && count.week === beijingWeek(at) ? count : undefined;
  const week = current?.weekCount ?? 0;
  const day = current && current.day === beijingDay(at) ? current.dayCount : 0;
  if (week >= caps.perWeek) return 'weekly_cap';
  if (day >= caps.perDay) return 'daily_cap';
  return null;
};

/** The counter after one more message at `at`. */
export const countOne = (count: CapCount | undefined, at: string): CapCount => {
  const week = beijingWeek(at);
  const day = beijingDay(at);
  const current = count && count.week === week ? count : undefined;
  return {
    week,
    weekCount: (current?.weekCount ?? 0) + 1,
    day,
    dayCount: (current && current.day === day ? current.dayCount : 0) + 1,
  };
};

export interface CapDecision<R extends { readonly investorId: string }> {
  readonly sent: readonly R[];
  readonly withheld: readonly (R & { readonly reason: CapReason })[];
}

/**
 * G2 over a batch: in order, each recipient is sent a message while their counter allows it, else withheld with the
 * cap it met. An investor twice in one batch counts twice.
 */
export const decideCaps = <R extends { readonly investorId: string }>(
  recipients: readonly R[],
  counts: Readonly<Record<string, CapCount>>,
  caps: ChannelCaps,
  at: string,
): CapDecision<R> => {
  const seen = new Map<string, CapCount | undefined>();
  const sent: R[] = [];
  const withheld: (R & { reason: CapReason })[] = [];
  for (const recipient of recipients) {
    const count = seen.has(recipient.investorId)
      ? seen.get(recipient.investorId)
      : Object.hasOwn(counts, recipient.investorId)
        ? counts[recipient.investorId]
        : undefined;
    const reason = capReason(count, caps, at);
    if (reason === null) {
      sent.push(recipient);
      seen.set(recipient.investorId, countOne(count, at));
    } else {
      withheld.push({ ...recipient, reason });
      seen.set(recipient.investorId, count);
    }
  }
  return { sent, withheld };
};
