/**
 * 猜涨跌, the up/down game (seed 004: 促活跃 + 促积分消费): before a round's cut-off an investor predicts whether an
 * index closes up or down on a trading day; the round is settled from the market-data feed's close, once, and every
 * correct prediction is awarded points (G5: points only, no stake, no cash value). A flat close pays nobody.
 */
import { Decider, DomainError, DomainEvent, Step, conflict, invalid, unreachable } from '@app/common';

export type Direction = 'up' | 'down';
export type Outcome = Direction | 'flat';

export interface RoundTerms {
  readonly roundId: string;
  readonly indexCode: string;
  /** The Beijing trading date whose close decides the round. */
  readonly tradingDay: string;
  /** Predictions are taken until this instant. */
  readonly cutoffAt: string;
  readonly rewardPoints: number;
}

/** An index's close for a trading day, as the market-data port reports it (levels in hundredths: integers). */
export interface IndexClose {
  readonly indexCode: string;
  readonly tradingDay: string;
  readonly previousCloseCenti: number;
  readonly closeCenti: number;
}

export const outcomeOf = (close: IndexClose): Outcome =>
  close.closeCenti > close.previousCloseCenti ? 'up' : close.closeCenti < close.previousCloseCenti ? 'down' : 'flat';

export type RoundCommand =
  | {
      readonly type: 'Predict';
      readonly terms: RoundTerms;
      readonly investorId: string;
      readonly direction: Direction;
      readonly step: Step;
    }
  /** `close` is what the market-data feed has for the round's index and day: null while it has none. */
  | { readonly type: 'Settle'; readonly close: IndexClose | null; readonly step: Step };

export const RoundEventTypes = {
  Opened: 'rewards.UpDownRoundOpened',
  Predicted: 'rewards.UpDownPredicted',
  Settled: 'rewards.UpDownRoundSettled',
} as const;

type T = typeof RoundEventTypes;
export type RoundEvent =
  | DomainEvent<T['Opened'], { terms: RoundTerms; step: Step }>
  | DomainEvent<T['Predicted'], { roundId: string; investorId: string; direction: Direction; step: Step }>
  | DomainEvent<
      T['Settled'],
      { roundId: string; close: IndexClose; outcome: Outcome; winners: string[]; rewardPoints: number; step: Step }
    >;

export type RoundState =
  | { readonly status: 'none' }
  | { readonly status: 'open'; readonly terms: RoundTerms; readonly predictions: Readonly<Record<string, Direction>> }
  | {
      readonly status: 'settled';
      readonly terms: RoundTerms;
      readonly predictions: Readonly<Record<string, Direction>>;
      readonly outcome: Outcome;
      readonly winners: readonly string[];
    };

const predict = (command: Extract<RoundCommand, { type: 'Predict' }>, state: RoundState): RoundEvent[] | DomainError => {
  if (state.status === 'settled') return conflict('UPDOWN.ROUND_CLOSED', `round ${state.terms.roundId} is settled`);
  const terms = state.status === 'open' ? state.terms : command.terms;
  if (Date.parse(command.step.at) >= Date.parse(terms.cutoffAt)) {
    return conflict('UPDOWN.ROUND_CLOSED', `predictions for round ${terms.roundId} closed at ${terms.cutoffAt}`);
  }
  const previous = state.status === 'open' ? state.predictions[command.investorId] : undefined;
  if (previous === command.direction) return [];
  if (previous) return conflict('UPDOWN.ALREADY_PREDICTED', `already predicted ${previous} for round ${terms.roundId}`);
  const opened: RoundEvent[] = state.status === 'none' ? [{ type: RoundEventTypes.Opened, data: { terms, step: command.step } }] : [];
  return [
    ...opened,
    {
      type: RoundEventTypes.Predicted,
      data: { roundId: terms.roundId, investorId: command.investorId, direction: command.direction, step: command.step },
    },
  ];
};

const settle = (command: Extract<RoundCommand, { type: 'Settle' }>, state: RoundState): RoundEvent[] | DomainError => {
  switch (state.status) {
    case 'none':
      return []; // nobody played: nothing to settle
    case 'settled':
      return []; // settled exactly once: a repeat (a second job, a retry) changes nothing
    case 'open': {
      const { terms } = state;
      if (!command.close) return conflict('UPDOWN.NO_CLOSE_YET', `the feed has no close of ${terms.indexCode} on ${terms.tradingDay} yet`);
      if (command.close.indexCode !== terms.indexCode || command.close.tradingDay !== terms.tradingDay) {
        return invalid('UPDOWN.WRONG_CLOSE', `round ${terms.roundId} is settled by ${terms.indexCode} on ${terms.tradingDay}`);
      }
      if (Date.parse(command.step.at) < Date.parse(terms.cutoffAt))
        return conflict('UPDOWN.NOT_YET', `round ${terms.roundId} is open until ${terms.cutoffAt}`);
      const outcome = outcomeOf(command.close);
      const winners = Object.keys(state.predictions)
        .filter((investorId) => state.predictions[investorId] === outcome)
        .sort();
      return [
        {
          type: RoundEventTypes.Settled,
          data: { roundId: terms.roundId, close: command.close, outcome, winners, rewardPoints: terms.rewardPoints, step: command.step },
        },
      ];
    }
    default:
      return unreachable(state);
  }
};

const decide = (command: RoundCommand, state: RoundState): RoundEvent[] | DomainError => {
  switch (command.type) {
    case 'Predict':
      return predict(command, state);
    case 'Settle':
      return settle(command, state);
    default:
      return unreachable(command);
  }
};

const evolve = (state: RoundState, event: RoundEvent): RoundState => {
  switch (event.type) {
    case RoundEventTypes.Opened:
      return { status: 'open', terms: event.data.terms, predictions: {} };
    case RoundEventTypes.Predicted:
      return state.status === 'open'
        ? { ...state, predictions: { ...state.predictions, [event.data.investorId]: event.data.direction } }
        : state;
    case RoundEventTypes.Settled:
      return state.status === 'open'
        ? {
            status: 'settled',
            terms: state.terms,
            predictions: state.predictions,
            outcome: event.data.outcome,
            winners: event.data.winners,
          }
        : state;
    default:
      return unreachable(event);
  }
};

export const upDownRoundDecider: Decider<RoundCommand, RoundEvent, RoundState> = { initialState: { status: 'none' }, decide, evolve };

export const roundIdOf = (indexCode: string, tradingDay: string) => `${indexCode}-${tradingDay}`;
export const upDownRoundStreamId = (roundId: string) => `rewards.up-down-${roundId}`;
export const upDownAwardId = (roundId: string, investorId: string) => `up-down:${roundId}:${investorId}`;
