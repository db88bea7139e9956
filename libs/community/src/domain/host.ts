/**
 * Hosts and their ledger. A host (a KOL, an educator, or a registered advisor with a SAC code) earns the host share of
 * every tip sent to their live sessions and posts; the platform keeps the rest (revenue share in basis points, fixed
 * on each credit). Refunds and chargebacks reverse the host share of that tip (see `reversalOf`): a refund in
 * proportion to the part of the tip refunded, a chargeback whatever of the share is left. A payout takes the whole
 * balance into a statement (what it covers, line by line) and pays it through the payments port; a failed payout
 * returns it. One payout at a time.
 *
 * Negative balance, carried against the next payout (`NEGATIVE_BALANCE_CARRIED`): a reversal never takes more than
 * what is left of that tip's share, so the balance goes below zero only when the share reversed was already in a
 * payout. The deficit is then carried: later credits make it good first, no payout is made while the balance is below
 * the minimum, and the next statement lists the reversal line that caused it. The host is never asked to pay back.
 */
import {
  Decider,
  DomainError,
  DomainEvent,
  Money,
  Step,
  conflict,
  forbidden,
  invalid,
  isSacRegistrationCode,
  ruleViolation,
  unreachable,
} from '@app/common';

export const HOST_KINDS = ['kol', 'educator', 'advisor'] as const;
export type HostKind = (typeof HOST_KINDS)[number];

export interface HostProfile {
  readonly hostId: string;
  readonly kind: HostKind;
  readonly displayName: string;
  readonly bio: string;
  /** Registered advisors only: their SAC registration code. */
  readonly sacRegistrationCode: string | null;
}

export interface RevenueShare {
  /** The host's share of a tip, in basis points (7000 = 70 %). */
  readonly hostBps: number;
}

/** Host share rounded down to the fen: the platform never pays out more than it received. */
export const splitTip = (grossMinor: number, share: RevenueShare): { hostShareMinor: number; platformShareMinor: number } => {
  const hostShareMinor = Math.floor((grossMinor * share.hostBps) / 10_000);
  return { hostShareMinor, platformShareMinor: grossMinor - hostShareMinor };
};

export type ReversalCause = 'refund' | 'chargeback';

/** The name of the negative-balance rule above, in test names and the statement's docs. */
export const NEGATIVE_BALANCE_CARRIED = 'negative balance carried against the next payout';

/** What is known of one credited tip: its gross, the host share credited, and what has been reversed so far. */
export interface TipCredit {
  readonly grossMinor: number;
  readonly hostShareMinor: number;
  /** Gross refunded so far (partial refunds add up; a chargeback counts the whole gross). */
  readonly refundedGrossMinor: number;
  /** Host share reversed so far: never above `hostShareMinor`. */
  readonly reversedShareMinor: number;
  /** Refunds already applied (a refund reported twice reverses once). */
  readonly refundIds: readonly string[];
  readonly chargedBack: boolean;
}

/**
 * The host's part of a reversal, in integer minor units. Rounding rule: after refunds adding up to R of a gross G, the
 * host has had floor(share × R / G) reversed in all; each refund reverses the difference from what was reversed
 * before. So the remainder of a rounding stays with the platform until the tip is wholly refunded, partial refunds
 * together never reverse more than the share credited, and a full refund (in one go or in parts) reverses exactly the
 * share. A chargeback takes the whole gross back: it reverses whatever of the share is left.
 */
export const reversalOf = (
  credit: TipCredit,
  reversal: { readonly cause: 'refund'; readonly refundedMinor: number } | { readonly cause: 'chargeback' },
): { readonly hostShareMinor: number; readonly refundedGrossMinor: number } => {
  if (reversal.cause === 'chargeback') {
    return { hostShareMinor: credit.hostShareMinor - credit.reversedShareMinor, refundedGrossMinor: credit.grossMinor };
  }
  const refundedGrossMinor = Math.min(credit.grossMinor, credit.refundedGrossMinor + Math.max(0, reversal.refundedMinor));
  const reversedInAll =
    credit.grossMinor === 0 ? credit.hostShareMinor : Math.floor((credit.hostShareMinor * refundedGrossMinor) / credit.grossMinor);
  return { hostShareMinor: Math.max(0, reversedInAll - credit.reversedShareMinor), refundedGrossMinor };
};

export type HostCommand =
  | { readonly type: 'RegisterHost'; readonly profile: HostProfile; readonly authorRoles: readonly string[]; readonly step: Step }
  | { readonly type: 'CreditTip'; readonly tipId: string; readonly gross: Money; readonly share: RevenueShare; readonly step: Step }
  | {
      readonly type: 'ReverseTip';
      readonly tipId: string;
      readonly cause: ReversalCause;
      /** Refunds: the refund and the gross it gave back (null: the whole tip). Chargebacks: null, the rest of the share. */
      readonly refundId: string | null;
      readonly refundedMinor: number | null;
      readonly step: Step;
    }
  | { readonly type: 'RequestPayout'; readonly payoutId: string; readonly minimumMinor: number; readonly step: Step }
  | { readonly type: 'CompletePayout'; readonly payoutId: string; readonly reference: string; readonly step: Step }
  | { readonly type: 'FailPayout'; readonly payoutId: string; readonly reason: string; readonly step: Step };

export const HostEventTypes = {
  Registered: 'community.HostRegistered',
  TipCredited: 'community.HostTipCredited',
  TipReversed: 'community.HostTipReversed',
  PayoutRequested: 'community.HostPayoutRequested',
  PayoutCompleted: 'community.HostPayoutCompleted',
  PayoutFailed: 'community.HostPayoutFailed',
} as const;
type H = typeof HostEventTypes;

export interface StatementLine {
  readonly tipId: string;
  readonly kind: 'credit' | 'reversal';
  readonly amountMinor: number;
  readonly at: string;
}

export type HostEvent =
  | DomainEvent<H['Registered'], HostProfile & { readonly step: Step }>
  | DomainEvent<
      H['TipCredited'],
      {
        readonly hostId: string;
        readonly tipId: string;
        readonly gross: Money;
        readonly hostBps: number;
        readonly hostShare: Money;
        readonly platformShare: Money;
        readonly step: Step;
      }
    >
  | DomainEvent<
      H['TipReversed'],
      {
        readonly hostId: string;
        readonly tipId: string;
        readonly cause: ReversalCause;
        /** The host share reversed by this event. */
        readonly hostShare: Money;
        /** The gross this reversal gave back and the refund behind it (absent in reversals recorded before partial refunds: the whole tip). */
        readonly refundedGross?: Money;
        readonly refundId?: string | null;
        readonly step: Step;
      }
    >
  | DomainEvent<
      H['PayoutRequested'],
      {
        readonly hostId: string;
        readonly payoutId: string;
        readonly amount: Money;
        readonly periodFrom: string | null;
        readonly periodTo: string;
        readonly lines: readonly StatementLine[];
        readonly step: Step;
      }
    >
  | DomainEvent<
      H['PayoutCompleted'],
      { readonly hostId: string; readonly payoutId: string; readonly amount: Money; readonly reference: string; readonly step: Step }
    >
  | DomainEvent<
      H['PayoutFailed'],
      { readonly hostId: string; readonly payoutId: string; readonly amount: Money; readonly reason: string; readonly step: Step }
    >;

export type HostState =
  | { readonly status: 'none' }
  | {
      readonly status: 'registered';
      readonly profile: HostProfile;
      readonly currency: string;
      /** Earned and not yet in a payout (negative after a reversal of a tip already paid out). */
      readonly balanceMinor: number;
      readonly credits: Readonly<Record<string, TipCredit>>;
      /** Lines since the last statement. */
      readonly unstated: readonly StatementLine[];
      readonly lastStatementAt: string | null;
      readonly payoutInFlight: {
        readonly payoutId: string;
        readonly amountMinor: number;
        readonly lines: readonly StatementLine[];
        readonly periodFrom: string | null;
      } | null;
      readonly paidOutMinor: number;
    };

const decide = (command: HostCommand, state: HostState): HostEvent[] | DomainError => {
  if (command.type === 'RegisterHost') {
    if (state.status !== 'none') return conflict('COMMUNITY.HOST_EXISTS', 'this host profile exists');
    const { profile } = command;
    if (!profile.displayName.trim()) return invalid('COMMUNITY.HOST_NAME_REQUIRED', 'a host has a display name');
    if (profile.kind === 'advisor') {
      if (!command.authorRoles.includes('advisor'))
        return forbidden('COMMUNITY.NOT_AN_ADVISOR', 'only registered advisors host as advisors', 'A9');
      if (!profile.sacRegistrationCode || !isSacRegistrationCode(profile.sacRegistrationCode)) {
        return ruleViolation('COMMUNITY.SAC_CODE_REQUIRED', 'A9', 'an advisor host shows a valid SAC registration code');
      }
    } else if (profile.sacRegistrationCode) {
      return invalid('COMMUNITY.SAC_CODE_FOR_ADVISORS', 'only advisor hosts carry a SAC registration code');
    }
    return [{ type: HostEventTypes.Registered, data: { ...profile, step: command.step } }];
  }
  if (state.status === 'none') return conflict('COMMUNITY.NOT_A_HOST', 'no host profile');
  const hostId = state.profile.hostId;
  switch (command.type) {
    case 'CreditTip': {
      if (state.credits[command.tipId]) return [];
      const { hostBps } = command.share;
      if (!Number.isInteger(hostBps) || hostBps < 0 || hostBps > 10_000)
        return invalid('COMMUNITY.SHARE_INVALID', 'a revenue share is 0 to 10000 basis points');
      const split = splitTip(command.gross.amountMinor, command.share);
      const currency = command.gross.currency;
      return [
        {
          type: HostEventTypes.TipCredited,
          data: {
            hostId,
            tipId: command.tipId,
            gross: command.gross,
            hostBps,
            hostShare: { amountMinor: split.hostShareMinor, currency },
            platformShare: { amountMinor: split.platformShareMinor, currency },
            step: command.step,
          },
        },
      ];
    }
    case 'ReverseTip': {
      const credit = state.credits[command.tipId];
      // A tip never credited (its payment never captured) has nothing to reverse; after a chargeback nothing is left.
      if (!credit || credit.chargedBack) return [];
      if (command.refundId !== null && credit.refundIds.includes(command.refundId)) return [];
      // Wholly given back already: nothing is left to reverse.
      if (credit.refundedGrossMinor >= credit.grossMinor) return [];
      const refundedMinor = command.refundedMinor ?? credit.grossMinor - credit.refundedGrossMinor;
      if (command.cause === 'refund' && (!Number.isSafeInteger(refundedMinor) || refundedMinor <= 0))
        return invalid('COMMUNITY.REFUND_AMOUNT_INVALID', 'a refund gives back a positive integer amount in minor units');
      const reversal = reversalOf(credit, command.cause === 'refund' ? { cause: 'refund', refundedMinor } : { cause: 'chargeback' });
      return [
        {
          type: HostEventTypes.TipReversed,
          data: {
            hostId,
            tipId: command.tipId,
            cause: command.cause,
            hostShare: { amountMinor: reversal.hostShareMinor, currency: state.currency },
            refundedGross: { amountMinor: reversal.refundedGrossMinor - credit.refundedGrossMinor, currency: state.currency },
            refundId: command.refundId,
            step: command.step,
          },
        },
      ];
    }
    case 'RequestPayout': {
      if (state.payoutInFlight) {
        return state.payoutInFlight.payoutId === command.payoutId
          ? []
          : conflict('COMMUNITY.PAYOUT_IN_FLIGHT', `payout ${state.payoutInFlight.payoutId} has not settled yet`);
      }
      if (state.balanceMinor < Math.max(1, command.minimumMinor)) {
        return conflict(
          'COMMUNITY.PAYOUT_BELOW_MINIMUM',
          `the balance ${state.balanceMinor} is below the payout minimum ${command.minimumMinor}`,
        );
      }
      return [
        {
          type: HostEventTypes.PayoutRequested,
          data: {
            hostId,
            payoutId: command.payoutId,
            amount: { amountMinor: state.balanceMinor, currency: state.currency },
            periodFrom: state.lastStatementAt,
            periodTo: command.step.at,
            lines: state.unstated,
            step: command.step,
          },
        },
      ];
    }
    case 'CompletePayout':
    case 'FailPayout': {
      const inFlight = state.payoutInFlight;
      if (!inFlight || inFlight.payoutId !== command.payoutId) return [];
      const amount = { amountMinor: inFlight.amountMinor, currency: state.currency };
      return command.type === 'CompletePayout'
        ? [
            {
              type: HostEventTypes.PayoutCompleted,
              data: { hostId, payoutId: command.payoutId, amount, reference: command.reference, step: command.step },
            },
          ]
        : [
            {
              type: HostEventTypes.PayoutFailed,
              data: { hostId, payoutId: command.payoutId, amount, reason: command.reason, step: command.step },
            },
          ];
    }
    default:
      return unreachable(command);
  }
};

const afterReversal = (credit: TipCredit, data: Extract<HostEvent, { type: H['TipReversed'] }>['data']): TipCredit => {
  // Reversals recorded before partial refunds carry no refunded gross: they were of the whole tip.
  const refunded = data.cause === 'chargeback' || !data.refundedGross ? credit.grossMinor : data.refundedGross.amountMinor;
  return {
    ...credit,
    refundedGrossMinor: Math.min(credit.grossMinor, credit.refundedGrossMinor + refunded),
    reversedShareMinor: credit.reversedShareMinor + data.hostShare.amountMinor,
    refundIds: data.refundId ? [...credit.refundIds, data.refundId] : credit.refundIds,
    chargedBack: credit.chargedBack || data.cause === 'chargeback',
  };
};

const evolve = (state: HostState, event: HostEvent): HostState => {
  if (event.type === HostEventTypes.Registered) {
    const { step: _step, ...profile } = event.data;
    return {
      status: 'registered',
      profile,
      currency: 'CNY',
      balanceMinor: 0,
      credits: {},
      unstated: [],
      lastStatementAt: null,
      payoutInFlight: null,
      paidOutMinor: 0,
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case HostEventTypes.TipCredited: {
      const amountMinor = event.data.hostShare.amountMinor;
      return {
        ...state,
        currency: event.data.hostShare.currency,
        balanceMinor: state.balanceMinor + amountMinor,
        credits: {
          ...state.credits,
          [event.data.tipId]: {
            grossMinor: event.data.gross.amountMinor,
            hostShareMinor: amountMinor,
            refundedGrossMinor: 0,
            reversedShareMinor: 0,
            refundIds: [],
            chargedBack: false,
          },
        },
        unstated: [...state.unstated, { tipId: event.data.tipId, kind: 'credit', amountMinor, at: event.data.step.at }],
      };
    }
    case HostEventTypes.TipReversed: {
      const credit = state.credits[event.data.tipId];
      const amountMinor = event.data.hostShare.amountMinor;
      return {
        ...state,
        balanceMinor: state.balanceMinor - amountMinor,
        credits: credit ? { ...state.credits, [event.data.tipId]: afterReversal(credit, event.data) } : state.credits,
        unstated: [...state.unstated, { tipId: event.data.tipId, kind: 'reversal', amountMinor: -amountMinor, at: event.data.step.at }],
      };
    }
    case HostEventTypes.PayoutRequested:
      return {
        ...state,
        balanceMinor: state.balanceMinor - event.data.amount.amountMinor,
        payoutInFlight: {
          payoutId: event.data.payoutId,
          amountMinor: event.data.amount.amountMinor,
          lines: event.data.lines,
          periodFrom: event.data.periodFrom,
        },
        unstated: [],
        lastStatementAt: event.data.periodTo,
      };
    case HostEventTypes.PayoutCompleted:
      return { ...state, payoutInFlight: null, paidOutMinor: state.paidOutMinor + event.data.amount.amountMinor };
    case HostEventTypes.PayoutFailed: {
      // The money comes back, and so do its lines: the next statement covers them again.
      const lines = state.payoutInFlight?.lines ?? [];
      return {
        ...state,
        payoutInFlight: null,
        balanceMinor: state.balanceMinor + event.data.amount.amountMinor,
        unstated: [...lines, ...state.unstated],
        lastStatementAt: state.payoutInFlight?.periodFrom ?? null,
      };
    }
    default:
      return unreachable(event);
  }
};

export const hostDecider: Decider<HostCommand, HostEvent, HostState> = { initialState: { status: 'none' }, decide, evolve };
export const hostStreamId = (hostId: string) => `community.host-${hostId}`;
