import { DomainError } from './errors';

/**
 * The shape of every aggregate: a pure decider. `decide` returns the new events or a DomainError (never throws for
 * business failures); `evolve` folds one event into the state. No I/O, no clock, no randomness: the command carries them.
 */
export interface DomainEvent<T extends string = string, D = unknown> {
  readonly type: T;
  readonly data: D;
  /** The data's shape version when it is not 1; readers upcast older versions (the stored bytes never change). */
  readonly schemaVersion?: number;
}

export interface Decider<C, E extends DomainEvent, S> {
  readonly initialState: S;
  decide(command: C, state: S): E[] | DomainError;
  evolve(state: S, event: E): S;
}

export const fold = <E extends DomainEvent, S>(decider: Pick<Decider<never, E, S>, 'initialState' | 'evolve'>, events: readonly E[]): S =>
  events.reduce(decider.evolve, decider.initialState);

/**
 * The `default` of a switch that covers every case of a union: it only compiles while the switch is exhaustive, so a
 * new status, command or event cannot be forgotten. Reaching it at run time is a bug (a value outside its type).
 */
export const unreachable = (value: never): never => {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
};
