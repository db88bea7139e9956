import { CatchUpLoop, CatchUpTurn } from './catch-up-loop';

/** A loop driven by hand: appends are announced by `append()`, turns answer what the test queues. */
const harness = (answers: (CatchUpTurn | Error)[], pauseMs = 10_000) => {
  const listeners = new Set<() => void>();
  const turns: boolean[] = [];
  let settle: () => void = () => undefined;
  const loop = new CatchUpLoop({
    onAppend: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    turn: async (atOnce) => {
      turns.push(atOnce);
      settle();
      const answer = answers.shift() ?? { failed: false };
      if (answer instanceof Error) throw answer;
      return answer;
    },
    pauseMs: (turn) => (turn.failed ? pauseMs * 2 : pauseMs),
    onError: () => undefined,
  });
  const turned = (count: number) =>
    new Promise<void>((resolve) => {
      settle = () => turns.length >= count && setImmediate(resolve);
      settle();
    });
  return { loop, turns, turned, append: () => [...listeners].forEach((listener) => listener()) };
};

describe('the catch-up loop shared by projections and reactors', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  it('turns at once while more is waiting, then pauses until the poll interval or an append', async () => {
    const h = harness([{ failed: false, more: true }, { failed: false }]);
    h.loop.start();
    await h.turned(2);
    expect(h.turns).toEqual([true, true]);
    // Paused: a timer that runs out gives a turn that may probe first (atOnce false).
    jest.advanceTimersByTime(10_000);
    await h.turned(3);
    expect(h.turns[2]).toBe(false);
    // Paused again: an append ends the pause at once.
    h.append();
    await h.turned(4);
    expect(h.turns[3]).toBe(true);
    await h.loop.stop();
  });

  it('after a failure pauses for the failure pause, which appends do not cut short', async () => {
    const h = harness([new Error('boom')]);
    h.loop.start();
    await h.turned(1);
    h.append();
    jest.advanceTimersByTime(10_000);
    await new Promise((resolve) => setImmediate(resolve));
    expect(h.turns).toHaveLength(1);
    jest.advanceTimersByTime(10_000);
    await h.turned(2);
    // The append seen during the pause asks for work at once.
    expect(h.turns[1]).toBe(true);
    await h.loop.stop();
  });

  it('stop ends a pause at once', async () => {
    const h = harness([]);
    h.loop.start();
    await h.turned(1);
    await h.loop.stop();
    expect(h.loop.isRunning).toBe(false);
    expect(h.turns).toHaveLength(1);
  });
});
