/**
 * given(events).when(command).then(events) / thenFails(code, rule) for decider tests in every context, so that specs
 * read as the rule they specify. Import it from `@app/common/testing` (test code only: the dependency rules keep it out
 * of production code).
 */
import { Decider, DomainEvent, fold, isDomainError } from '..';

export const given = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: readonly E[] = []) => ({
  when: (command: C) => {
    const result = decider.decide(command, fold(decider, history));
    const events = (): E[] => {
      if (isDomainError(result)) throw new Error(`expected events, got ${result.code}: ${result.message}`);
      return result;
    };
    return {
      result,
      then: (expected: readonly E[]) => expect(events()).toEqual(expected),
      thenMatches: (expected: readonly unknown[]) => expect(events()).toMatchObject(expected),
      thenEvents: events,
      thenFails: (code: string, rule?: string) => {
        if (!isDomainError(result)) throw new Error(`expected ${code}, got events ${result.map((e) => e.type).join(', ')}`);
        expect(result.code).toBe(code);
        if (rule !== undefined) expect(result.rule).toBe(rule);
        return result;
      },
    };
  },
});

/** The same specification with the decider named once per file: `const spec = deciderSpec(decider); spec.given([...])`. */
export const deciderSpec = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>) => ({
  given: (history: readonly E[]) => given(decider, history),
});
