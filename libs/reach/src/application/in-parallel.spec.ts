import { inParallel } from './in-parallel';

const after = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('work over items a few at a time (the fan-out’s G3 checks and G4 attributions of a page)', () => {
  it('given items, then at most `limit` run at once and the results come in the order of the items', async () => {
    let running = 0;
    let most = 0;
    const results = await inParallel([5, 1, 4, 2, 3], 2, async (ms) => {
      most = Math.max(most, ++running);
      await after(ms);
      running -= 1;
      return ms * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(most).toBe(2);
  });

  it('given an item that fails, then no item starts after it and the call rejects only once the items under way have finished', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const call = inParallel(
      Array.from({ length: 20 }, (_, i) => i),
      4,
      async (i) => {
        started.push(i);
        await after(i === 2 ? 1 : 30);
        if (i === 2) throw new Error('item 2 failed');
        finished.push(i);
        return i;
      },
    );
    await expect(call).rejects.toThrow('item 2 failed');
    expect(started).toEqual([0, 1, 2, 3]);
    expect(finished.sort((a, b) => a - b)).toEqual([0, 1, 3]);
    await after(60);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('given no items, then no work and no results', async () => {
    expect(await inParallel([], 8, async () => 1)).toEqual([]);
  });
});
