import { Decider, DomainError, DomainEvent } from '@app/common';

/**
 * given(events).when(command).then(events) / thenFails(code) for decider tests. Lives beside the deciders so that
 * every context's specs read the same way.
 */
export const deciderSpec = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>) => ({
  given: (events: readonly E[]) => ({
    when: (command: C) => {
      const state = events.reduce(decider.evolve, decider.initialState);
      const result = decider.decide(command, state);
      return {
        then: (expected: readonly E[]) => {
          if (result instanceof DomainError) throw new Error(`expected events, got ${result.code}: ${result.message}`);
          expect(result).toEqual(expected);
        },
        thenMatches: (expected: readonly unknown[]) => {
          if (result instanceof DomainError) throw new Error(`expected events, got ${result.code}: ${result.message}`);
          expect(result).toMatchObject(expected);
        },
        thenFails: (code: string, rule?: string) => {
          if (!(result instanceof DomainError)) throw new Error(`expected ${code}, got events ${JSON.stringify(result)}`);
          expect(result.code).toBe(code);
          if (rule !== undefined) expect(result.rule).toBe(rule);
          return result;
        },
        result,
      };
    },
  }),
});
