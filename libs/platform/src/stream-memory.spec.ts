import { StreamMemory } from './stream-memory';

describe('StreamMemory', () => {
  const folder = {};

  it('recalls what it remembered, for the same fold only', () => {
    const memory = new StreamMemory(10);
    memory.remember(folder, 's', { n: 1 }, 0n);
    expect(memory.recall(folder, 's')).toEqual({ state: { n: 1 }, revision: 0n });
    expect(memory.recall({}, 's')).toBeUndefined();
    expect(memory.recall(folder, 'other')).toBeUndefined();
  });

  it('keeps the newest revision when a slower writer reports an older one', () => {
    const memory = new StreamMemory(10);
    memory.remember(folder, 's', 'new', 5n);
    memory.remember(folder, 's', 'old', 4n);
    expect(memory.recall(folder, 's')).toEqual({ state: 'new', revision: 5n });
  });

  it('forgets the least recently used stream beyond its capacity', () => {
    const memory = new StreamMemory(2);
    memory.remember(folder, 'a', 1, 0n);
    memory.remember(folder, 'b', 2, 0n);
    memory.recall(folder, 'a');
    memory.remember(folder, 'c', 3, 0n);
    expect(memory.size).toBe(2);
    expect(memory.recall(folder, 'b')).toBeUndefined();
    expect(memory.recall(folder, 'a')?.state).toBe(1);
    expect(memory.recall(folder, 'c')?.state).toBe(3);
  });

  it('forgets on request, and remembers nothing with capacity 0', () => {
    const memory = new StreamMemory(2);
    memory.remember(folder, 'a', 1, 0n);
    memory.forget(['a']);
    expect(memory.recall(folder, 'a')).toBeUndefined();
    const off = new StreamMemory(0);
    off.remember(folder, 'a', 1, 0n);
    expect(off.recall(folder, 'a')).toBeUndefined();
  });
});
