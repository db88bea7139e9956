/** given/when/then for deciders: tests read as the rule they specify. */
import { Decider, DomainEvent, fold, isDomainError } from '@app/common';

export const given = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: readonly E[] = []) => ({
  when: (command: C) => {
    const result = decider.decide(command, fold(decider, history));
    return {
      result,
      then: (expected: E[]) => {
        if (isDomainError(result)) throw new Error(`expected events, got ${result.code}: ${result.message}`);
        expect(result).toEqual(expected);
      },
      thenEvents: (): E[] => {
        if (isDomainError(result)) throw new Error(`expected events, got ${result.code}: ${result.message}`);
        return result;
      },
      thenFails: (code: string, rule?: string) => {
        if (!isDomainError(result)) throw new Error(`expected ${code}, got events ${result.map((e) => e.type).join(', ')}`);
        expect(result.code).toBe(code);
        if (rule !== undefined) expect(result.rule).toBe(rule);
        return result;
      },
    };
  },
});
